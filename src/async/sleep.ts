import { SharedFlight } from './shared-flight';

/**
 * A sleep that an `AbortSignal` interrupts: the timer is cleared and the promise rejects with
 * `signal.reason` at once, so an aborted wait leaves no timer behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Throws `signal.reason` when the signal is aborted (checked after every `await`). */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason;
}

const wakeups = new Map<number, SharedFlight<void>>();

/**
 * Sleeps until `untilMs` (a `Date.now()` value). Sleeps that end at the same moment share one
 * timer, so waits woken by it act in the same turn (and share the request they make); the timer
 * is cleared when every sleeper has left through its signal.
 */
export async function sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
  let flight = wakeups.get(untilMs);
  if (!flight) {
    flight = new SharedFlight<void>();
    wakeups.set(untilMs, flight);
  }
  try {
    await flight.run((shared) => sleep(Math.max(0, untilMs - Date.now()), shared), signal);
  } finally {
    if (!flight.busy && wakeups.get(untilMs) === flight) wakeups.delete(untilMs);
  }
}
