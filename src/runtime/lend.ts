/**
 * Signals lent with their controller. An owner whose controller only one call will follow (a shared
 * flight's run: `./shared-flight.ts`) lends the controller with its signal; the call that takes it
 * (`src/transport/call-bounds.ts`) aborts it itself, at its deadline or on close, instead of making a
 * controller of its own that follows the signal. One AbortController then serves both.
 */
const lent = new WeakMap<AbortSignal, AbortController>();

/** `controller`'s signal, lent: the first call that {@link borrow}s it may abort the controller. */
export function lend(controller: AbortController): AbortSignal {
  lent.set(controller.signal, controller);
  return controller.signal;
}

/** The controller lent with `signal`, taken (no later call gets it); `null` for a signal not lent. */
export function borrow(signal: AbortSignal): AbortController | null {
  const controller = lent.get(signal);
  if (controller === undefined) return null;
  lent.delete(signal);
  return controller;
}
