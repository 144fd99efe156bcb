/**
 * Signals lent with their abort. An owner whose abort only one call will follow (a shared flight's
 * run: `./shared-flight.ts`) lends it with its signal; the call that takes it
 * (`src/transport/call-bounds.ts`) aborts it itself, at its deadline or on close, instead of making
 * an abort of its own that follows the signal. One abort then serves both.
 */
import type { LazyAbort } from './lazy-abort';

const lent = new WeakMap<AbortSignal, LazyAbort>();

/** `abort`'s signal, lent: the first call that {@link borrow}s it may abort it. */
export function lend(abort: LazyAbort): AbortSignal {
  const { signal } = abort;
  lent.set(signal, abort);
  return signal;
}

/** The abort lent with `signal`, taken (no later call gets it); `null` for a signal not lent. */
export function borrow(signal: AbortSignal): LazyAbort | null {
  const abort = lent.get(signal);
  if (abort === undefined) return null;
  lent.delete(signal);
  return abort;
}
