/**
 * Signals lent with their abort. An owner whose abort only one call will follow (a shared flight's
 * run: `./shared-flight.ts`) lends it with its signal; the call that takes it
 * (`src/transport/call-bounds.ts`) aborts it itself, at its deadline or on close, instead of making
 * an abort of its own that follows the signal. One abort then serves both. The signal carries its
 * abort itself, under a key of this module: no table of lent signals is kept.
 */
import type { LazyAbort } from './lazy-abort';

const LENT = Symbol('yc-operation.lent-abort');

/** A signal that may carry the abort it was lent with. */
type Lendable = AbortSignal & { [LENT]?: LazyAbort | undefined };

/** `abort`'s signal, lent: the first call that {@link borrow}s it may abort it. */
export function lend(abort: LazyAbort): AbortSignal {
  const signal: Lendable = abort.signal;
  signal[LENT] = abort;
  return signal;
}

/** The abort lent with `signal`, taken (no later call gets it); `null` for a signal not lent. */
export function borrow(signal: AbortSignal): LazyAbort | null {
  const lent = signal as Lendable;
  const abort = lent[LENT];
  if (abort === undefined) return null;
  lent[LENT] = undefined;
  return abort;
}
