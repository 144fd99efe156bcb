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
 * first. `shared` as {@link Nap.sleep}'s.
 */
export function sleepUntil(untilMs: number, signal?: Stopper, shared = true): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => sleepFor(untilMs, { wake: resolve, onAbort: reject }, signal, shared));
}

/** Puts `sleeper` to sleep once, as {@link Nap.sleep}. */
export function sleepFor(untilMs: number, sleeper: Sleeper, signal?: Stopper, shared = true): void {
  new Nap(sleeper).sleep(untilMs, signal, shared);
}

/** What a moment's timer rings: a {@link Nap}, or a runner that sleeps without one (`src/async/run.ts`). */
export interface Ringer {
  ring(): void;
}

/**
 * Puts `ringer` to sleep until `untilMs` (a `Date.now()` value): it is rung at that moment unless
 * it leaves the returned wake-up first. `shared` as {@link Nap.sleep}'s.
 */
export function ringAt(untilMs: number, ringer: Ringer, shared = true): Wakeup {
  const wakeup = (shared ? wakeups.get(untilMs) : undefined) ?? new Wakeup(untilMs, shared);
  wakeup.naps.add(ringer);
  return wakeup;
}

/** The sleeps of one moment: one timer, which rings them all. */
export class Wakeup {
  readonly naps = new Set<Ringer>();
  readonly timer: NodeJS.Timeout;

  constructor(
    readonly untilMs: number,
    shared: boolean,
  ) {
    // The wake-up is the timer's argument: no closure a moment.
    this.timer = setTimeout(ring, Math.min(Math.max(0, untilMs - Date.now()), MAX_DELAY_MS), this);
    if (shared) wakeups.set(untilMs, this);
  }

  /** `nap` left before the moment; the timer goes with the last one. */
  leave(nap: Ringer): void {
    this.naps.delete(nap);
    if (this.naps.size > 0) return;
    clearTimeout(this.timer);
    if (wakeups.get(this.untilMs) === this) wakeups.delete(this.untilMs);
  }
}

function ring(wakeup: Wakeup): void {
  if (wakeups.get(wakeup.untilMs) === wakeup) wakeups.delete(wakeup.untilMs);
  for (const nap of wakeup.naps) nap.ring();
}

const wakeups = new Map<number, Wakeup>();

/**
 * A sleeper's sleeps, one at a time, as one object for all of them: a runner that sleeps once a
 * poll keeps one (`src/async/run.ts`), so that a sleeping wait holds the same object from one
 * poll to the next and leaves none behind. No closure: a sleep is this object and its Set entries.
 */
export class Nap implements AbortWatcher {
  #wakeup: Wakeup | null = null;
  #signal: Stopper | undefined = undefined;

  constructor(private readonly sleeper: Sleeper) {}

  /** True from {@link Nap.sleep} until the sleeper is woken, told of its signal's abort, or {@link Nap.cancel}led. */
  get asleep(): boolean {
    return this.#wakeup !== null;
  }

  /**
   * Sleeps until `untilMs` (a `Date.now()` value), then wakes the sleeper. With `shared` (the
   * default), sleeps that end at the same moment share one timer, so waits woken by it act in the
   * same turn (and share the request they make). When `signal` aborts first, the sleep ends and the
   * sleeper is told `signal.reason` (at once if it already has); the timer is cleared when the last
   * sleep of its moment leaves. One sleep at a time: the sleeper sleeps again once woken.
   */
  sleep(untilMs: number, signal?: Stopper, shared = true): void {
    if (signal?.aborted) return this.sleeper.onAbort(signal.reason);
    this.#wakeup = ringAt(untilMs, this, shared);
    this.#signal = signal;
    if (signal) watchAbort(signal, this);
  }

  /** Ends the sleep without waking the sleeper (it stopped for a reason of its own). */
  cancel(): void {
    const signal = this.#end();
    if (signal) unwatchAbort(signal, this);
  }

  /** The signal aborted during the sleep. */
  onAbort(reason: unknown): void {
    this.#end();
    this.sleeper.onAbort(reason);
  }

  /** The moment came. @internal */
  ring(): void {
    const signal = this.#signal;
    this.#wakeup = null;
    this.#signal = undefined;
    if (signal) unwatchAbort(signal, this);
    this.sleeper.wake();
  }

  /** Leaves the sleep's moment; the signal it watched, if any. */
  #end(): Stopper | undefined {
    const wakeup = this.#wakeup;
    const signal = this.#signal;
    this.#wakeup = null;
    this.#signal = undefined;
    wakeup?.leave(this);
    return signal;
  }
}

/** The longest delay a Node timer holds (2^31 - 1 ms); a longer sleep is cut to it by `src/core`'s checks. */
const MAX_DELAY_MS = 2_147_483_647;
