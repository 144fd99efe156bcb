/**
 * The blocking driver of the core's wait loop: it performs each effect on the caller's thread
 * (a request through the worker, a sleep with `Atomics.wait`) and hands each status out as it comes.
 */
import type { WaitEffect } from '../core/poll';

/** How the driver performs the loop's effects, blocking. */
export interface SyncActions<S> {
  fetch(timeoutMs: number): S;
  sleep(ms: number): void;
}

/** Runs `loop`, yielding each polled status; returns the loop's final status. */
export function* driveSync<S, R>(loop: Generator<WaitEffect<S>, R, unknown>, act: SyncActions<S>): Generator<S, R, undefined> {
  try {
    let next = loop.next();
    while (!next.done) {
      const effect = next.value;
      if (effect.type === 'progress') {
        yield effect.status;
        next = loop.next();
      } else if (effect.type === 'sleep') {
        act.sleep(effect.ms);
        next = loop.next();
      } else {
        let status: S;
        try {
          status = act.fetch(effect.timeoutMs);
        } catch (error) {
          next = loop.throw(error);
          continue;
        }
        next = loop.next(status);
      }
    }
    return next.value;
  } finally {
    loop.return(undefined as R);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread for `ms` milliseconds (no timer, nothing left pending). */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}
