/**
 * The promise runner of the operation machine (`src/core/machine.ts`): it performs each effect
 * with promises (a request through the operation's fetcher, an abortable sleep, an awaited value)
 * and hands each status out as it comes. It decides nothing.
 */
import type { Effect, RequestAnswer, Run } from '../core/machine';
import { sleepUntil } from '../runtime/sleep';

/** How an operation's requests are sent, with promises. */
export interface AsyncRequester<S> {
  request(call: 'get' | 'cancel', bounds: { deadlineMs: number; timeoutMs: number }, signal: AbortSignal): Promise<RequestAnswer<S>>;
}

/** Performs one effect other than `progress`; rejects with `signal.reason` once it aborts. */
export async function performAsync<S>(effect: Exclude<Effect<S>, { type: 'progress' }>, requester: AsyncRequester<S>, signal: AbortSignal): Promise<unknown> {
  signal.throwIfAborted();
  if (effect.type === 'sleep') return sleepUntil(effect.untilMs, signal);
  const value = effect.type === 'request' ? await requester.request(effect.call, effect, signal) : await effect.value;
  signal.throwIfAborted();
  return value;
}

/** Runs `run`, yielding each `progress` status; returns what the run returns. */
export async function* driveAsync<S, R>(run: Run<S, R>, requester: AsyncRequester<S>, signal: AbortSignal): AsyncGenerator<S, R, undefined> {
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
        outcome = { value: await performAsync(effect, requester, signal) };
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

/** Runs `run` to its end, calling `onProgress` with each status; resolves with what the run returns. */
export async function runAsync<S, R>(run: Run<S, R>, requester: AsyncRequester<S>, signal: AbortSignal, onProgress?: (status: S) => void): Promise<R> {
  const drive = driveAsync(run, requester, signal);
  for (;;) {
    const next = await drive.next();
    if (next.done) return next.value;
    onProgress?.(next.value);
  }
}
