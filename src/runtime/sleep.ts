/**
 * Sleeps that an `AbortSignal` interrupts: the timer is cleared and the promise rejects with
 * `signal.reason` at once, so an aborted wait leaves no timer behind. Times are `Date.now()` values
 * or milliseconds, as decided by `src/core`; nothing here chooses a duration.
 */
import { whenAborted, type Stopper } from './abort';

/** Sleeps `ms` milliseconds, or rejects with `signal.reason` when it aborts first. */
export function sleep(ms: number, signal?: Stopper): Promise<void> {
  return sleepUntil(Date.now() + Math.max(0, ms), signal, false);
}

/** The sleepers of one moment: one timer, and each sleeper's way to wake. */
interface Wakeup {
  timer: NodeJS.Timeout;
  sleepers: Set<() => void>;
}

const wakeups = new Map<number, Wakeup>();

/**
 * Sleeps until `untilMs` (a `Date.now()` value). With `shared` (the default), sleeps that end at the
 * same moment share one timer, so waits woken by it act in the same turn (and share the request
 * they make). A sleeper whose signal aborts leaves with `signal.reason`; the timer is cleared when
 * the last one leaves.
 */
export function sleepUntil(untilMs: number, signal?: Stopper, shared = true): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  let wakeup = shared ? wakeups.get(untilMs) : undefined;
  if (!wakeup) {
    const sleepers = new Set<() => void>();
    const timer = setTimeout(() => {
      if (wakeups.get(untilMs) === fresh) wakeups.delete(untilMs);
      for (const wake of sleepers) wake();
    }, Math.min(Math.max(0, untilMs - Date.now()), MAX_DELAY_MS));
    const fresh: Wakeup = { timer, sleepers };
    wakeup = fresh;
    if (shared) wakeups.set(untilMs, fresh);
  }
  const own = wakeup;
  return new Promise((resolve, reject) => {
    let stop = () => {};
    const wake = () => {
      stop();
      resolve();
    };
    own.sleepers.add(wake);
    if (signal) {
      stop = whenAborted(signal, (reason) => {
        own.sleepers.delete(wake);
        if (own.sleepers.size === 0) {
          clearTimeout(own.timer);
          if (wakeups.get(untilMs) === own) wakeups.delete(untilMs);
        }
        reject(reason);
      });
    }
  });
}

/** The longest delay a Node timer holds (2^31 - 1 ms); a longer sleep is cut to it by `src/core`'s checks. */
const MAX_DELAY_MS = 2_147_483_647;
