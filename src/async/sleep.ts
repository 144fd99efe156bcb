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

/** The sleepers of one moment: one timer, and each sleeper's way to wake. */
interface Wakeup {
  timer: NodeJS.Timeout;
  sleepers: Set<() => void>;
}

const wakeups = new Map<number, Wakeup>();

/**
 * Sleeps until `untilMs` (a `Date.now()` value). Sleeps that end at the same moment share one
 * timer, so waits woken by it act in the same turn (and share the request they make). A sleeper
 * whose signal aborts leaves with `signal.reason`; the timer is cleared when the last one leaves.
 */
export function sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  let wakeup = wakeups.get(untilMs);
  if (!wakeup) {
    const sleepers = new Set<() => void>();
    const timer = setTimeout(() => {
      wakeups.delete(untilMs);
      for (const wake of sleepers) wake();
    }, Math.max(0, untilMs - Date.now()));
    wakeup = { timer, sleepers };
    wakeups.set(untilMs, wakeup);
  }
  const { sleepers, timer } = wakeup;
  return new Promise((resolve, reject) => {
    const wake = () => {
      signal?.removeEventListener('abort', leave);
      resolve();
    };
    const leave = () => {
      sleepers.delete(wake);
      if (sleepers.size === 0) {
        clearTimeout(timer);
        wakeups.delete(untilMs);
      }
      reject(signal!.reason);
    };
    sleepers.add(wake);
    signal?.addEventListener('abort', leave, { once: true });
  });
}
