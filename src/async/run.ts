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

/** Where a run stands: at a status it hands out, or at its end with what it returns. */
type Step<S, R> = { done: false; status: S } | { done: true; value: R };

/**
 * Runs `run` on from `next` (its last step) to the next status it hands out (`progress`) or to its
 * end, performing every other effect on the way: an effect's error is thrown into the run, an error
 * of the run itself propagates.
 */
async function stepAsync<S, R>(run: Run<S, R>, next: IteratorResult<Effect<S>, R>, requester: AsyncRequester<S>, signal: AbortSignal): Promise<Step<S, R>> {
  while (!next.done) {
    const effect = next.value;
    if (effect.type === 'progress') return { done: false, status: effect.status };
    let value: unknown;
    try {
      value = await performAsync(effect, requester, signal);
    } catch (error) {
      next = run.throw(error);
      continue;
    }
    next = run.next(value);
  }
  return { done: true, value: next.value };
}

/** Runs `run`, yielding each `progress` status; returns what the run returns. */
export async function* driveAsync<S, R>(run: Run<S, R>, requester: AsyncRequester<S>, signal: AbortSignal): AsyncGenerator<S, R, undefined> {
  try {
    for (let step = await stepAsync(run, run.next(), requester, signal); ; step = await stepAsync(run, run.next(), requester, signal)) {
      if (step.done) return step.value;
      yield step.status;
    }
  } finally {
    run.return(undefined as R);
  }
}

/**
 * Runs `run` to its end, calling `onProgress` with each status; resolves with what the run returns.
 * No async generator in between: a call pays none of its turns.
 */
export async function runAsync<S, R>(run: Run<S, R>, requester: AsyncRequester<S>, signal: AbortSignal, onProgress?: (status: S) => void): Promise<R> {
  try {
    let step = await stepAsync(run, run.next(), requester, signal);
    while (!step.done) {
      onProgress?.(step.status);
      step = await stepAsync(run, run.next(), requester, signal);
    }
    return step.value;
  } finally {
    run.return(undefined as R);
  }
}
