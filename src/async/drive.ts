/**
 * The async driver of the core's wait loop: it performs each effect with promises (a request,
 * an abortable sleep) and hands each status out as it comes.
 */
import type { WaitEffect } from '../core/poll';

/** How the driver performs the loop's effects. */
export interface AsyncActions<S> {
  fetch(timeoutMs: number): Promise<S>;
  /** Sleeps until `untilMs` (a `Date.now()` value). */
  sleep(untilMs: number): Promise<void>;
}

/** Runs `loop`, yielding each polled status; returns the loop's final status. */
export async function* driveAsync<S, R>(loop: Generator<WaitEffect<S>, R, unknown>, act: AsyncActions<S>): AsyncGenerator<S, R, undefined> {
  try {
    let next = loop.next();
    while (!next.done) {
      const effect = next.value;
      if (effect.type === 'progress') {
        yield effect.status;
        next = loop.next();
        continue;
      }
      let outcome: { value: unknown } | { error: unknown };
      try {
        outcome = { value: effect.type === 'fetch' ? await act.fetch(effect.timeoutMs) : await act.sleep(effect.untilMs) };
      } catch (error) {
        outcome = { error };
      }
      next = 'error' in outcome ? loop.throw(outcome.error) : loop.next(outcome.value);
    }
    return next.value;
  } finally {
    loop.return(undefined as R);
  }
}
