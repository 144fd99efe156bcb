/**
 * The blocking runner of the operation machine (`src/core/machine.ts`): it performs each effect on
 * the caller's thread (a request through the worker, a sleep with `Atomics.wait`, a value that must
 * not be a promise) and hands each status out as it comes. It decides nothing.
 */
import type { Effect, RequestAnswer, Run } from '../core/machine';

/** How an operation's requests are sent, blocking. */
export interface SyncRequester<S> {
  request(call: 'get' | 'cancel', bounds: { deadlineMs: number; timeoutMs: number }): RequestAnswer<S>;
  /** Throws when the operation's client is closed (checked before every effect). */
  checkOpen(): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread until `untilMs` (a `Date.now()` value): no timer, nothing left pending. */
export function sleepUntilSync(untilMs: number): void {
  for (let left = untilMs - Date.now(); left > 0; left = untilMs - Date.now()) Atomics.wait(sleeper, 0, 0, left);
}

/** Performs one effect other than `progress`, blocking. */
export function performSync<S>(effect: Exclude<Effect<S>, { type: 'progress' }>, requester: SyncRequester<S>): unknown {
  requester.checkOpen();
  if (effect.type === 'sleep') return sleepUntilSync(effect.untilMs);
  if (effect.type === 'request') return requester.request(effect.call, effect);
  if (effect.value instanceof Promise) {
    effect.value.catch(() => {});
    throw new TypeError('the blocking flavour takes only a synchronous resultDecoder (it returned a Promise)');
  }
  return effect.value;
}

/** Runs `run`, yielding each `progress` status; returns what the run returns. */
export function* driveSync<S, R>(run: Run<S, R>, requester: SyncRequester<S>): Generator<S, R, undefined> {
  try {
    let next = run.next();
    while (!next.done) {
      const effect = next.value;
      if (effect.type === 'progress') {
        yield effect.status;
        next = run.next();
        continue;
      }
      let outcome: { value: unknown } | { error: unknown };
      try {
        outcome = { value: performSync(effect, requester) };
      } catch (error) {
        outcome = { error };
      }
      next = 'error' in outcome ? run.throw(outcome.error) : run.next(outcome.value);
    }
    return next.value;
  } finally {
    run.return(undefined as R);
  }
}

/** Runs `run` to its end, calling `onProgress` with each status; returns what the run returns. */
export function runSync<S, R>(run: Run<S, R>, requester: SyncRequester<S>, onProgress?: (status: S) => void): R {
  const drive = driveSync(run, requester);
  for (;;) {
    const next = drive.next();
    if (next.done) return next.value;
    onProgress?.(next.value);
  }
}
