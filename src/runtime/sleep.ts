/**
 * Sleeps that an `AbortSignal` interrupts: the timer is cleared and the sleeper is told
 * `signal.reason` at once, so an aborted wait leaves no timer behind. Times are `Date.now()` values
 * or milliseconds, as decided by `src/core`; nothing here chooses a duration.
 */
import { type AbortWatcher, type Stopper, unwatchAbort, watchAbort } from './abort';

/** What sleeps: woken once at its moment (`wake`), or told why its signal aborted first (`onAbort`). */
export interface Sleeper extends AbortWatcher {
  wake(): void;
}

/** Sleeps `ms` milliseconds, or rejects with `signal.reason` when it aborts first. */
export function sleep(ms: number, signal?: Stopper): Promise<void> {
  return sleepUntil(Date.now() + Math.max(0, ms), signal, false);
}

/**
 * Sleeps until `untilMs` (a `Date.now()` value), or rejects with `signal.reason` when it aborts
 * first. `shared` as {@link sleepFor}'s.
 */
export function sleepUntil(untilMs: number, signal?: Stopper, shared = true): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => sleepFor(untilMs, { wake: resolve, onAbort: reject }, signal, shared));
}

/** The sleeps of one moment: one timer. */
interface Wakeup {
  readonly untilMs: number;
  readonly timer: NodeJS.Timeout;
  readonly naps: Set<Nap>;
}

const wakeups = new Map<number, Wakeup>();

/** One sleeper's sleep: what its signal tells when it aborts. No closure: a sleeping wait holds this object and its Set entries only. */
class Nap implements AbortWatcher {
  constructor(
    readonly wakeup: Wakeup,
    readonly sleeper: Sleeper,
    readonly signal: Stopper | undefined,
  ) {}

  onAbort(reason: unknown): void {
    const { wakeup } = this;
    wakeup.naps.delete(this);
    if (wakeup.naps.size === 0) {
      clearTimeout(wakeup.timer);
      if (wakeups.get(wakeup.untilMs) === wakeup) wakeups.delete(wakeup.untilMs);
    }
    this.sleeper.onAbort(reason);
  }
}

/**
 * Puts `sleeper` to sleep until `untilMs` (a `Date.now()` value). With `shared` (the default),
 * sleeps that end at the same moment share one timer, so waits woken by it act in the same turn
 * (and share the request they make). A sleeper whose signal aborts leaves, told `signal.reason`
 * (at once if it already has); the timer is cleared when the last one leaves.
 */
export function sleepFor(untilMs: number, sleeper: Sleeper, signal?: Stopper, shared = true): void {
  if (signal?.aborted) return sleeper.onAbort(signal.reason);
  let wakeup = shared ? wakeups.get(untilMs) : undefined;
  if (!wakeup) {
    const naps = new Set<Nap>();
    const timer = setTimeout(
      () => {
        if (wakeups.get(untilMs) === fresh) wakeups.delete(untilMs);
        for (const nap of naps) {
          if (nap.signal) unwatchAbort(nap.signal, nap);
          nap.sleeper.wake();
        }
      },
      Math.min(Math.max(0, untilMs - Date.now()), MAX_DELAY_MS),
    );
    const fresh: Wakeup = { untilMs, timer, naps };
    wakeup = fresh;
    if (shared) wakeups.set(untilMs, fresh);
  }
  const nap = new Nap(wakeup, sleeper, signal);
  wakeup.naps.add(nap);
  if (signal) watchAbort(signal, nap);
}

/** The longest delay a Node timer holds (2^31 - 1 ms); a longer sleep is cut to it by `src/core`'s checks. */
const MAX_DELAY_MS = 2_147_483_647;
