/**
 * Sleeps that an `AbortSignal` interrupts: the timer is cleared and the sleeper is told
 * `signal.reason` at once, so an aborted wait leaves no timer behind. Times are `Date.now()` values
 * or milliseconds, as decided by `src/core`; nothing here chooses a duration.
 */
import { type AbortWatcher, type Stopper, unwatchAbort, watchAbort } from './abort';

/** Sleeps `ms` milliseconds, or rejects with `signal.reason` when it aborts first. */
export function sleep(ms: number, signal?: Stopper): Promise<void> {
  return sleepUntil(Date.now() + Math.max(0, ms), signal, false);
}

/**
 * Sleeps until `untilMs` (a `Date.now()` value), or rejects with `signal.reason` when it aborts
 * first (at once if it has). With `shared` (the default), sleeps that end at the same moment share
 * one timer, so waits woken by it act in the same turn (and share the request they make); the
 * timer is cleared when the last sleep of its moment leaves.
 */
export function sleepUntil(untilMs: number, signal?: Stopper, shared = true): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => new Nap(untilMs, resolve, reject, signal, shared));
}

/** What a moment's timer rings: a sleep of {@link sleepUntil}, or a runner that sleeps in the moment itself (`src/async/run.ts`). */
export interface Ringer {
  ring(): void;
}

/**
 * Puts `ringer` to sleep until `untilMs` (a `Date.now()` value): it is rung at that moment unless
 * it leaves the returned wake-up first. `shared` as {@link sleepUntil}'s.
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

/** One sleep of {@link sleepUntil}: rung at its moment, or ended by its signal's abort. No closure: a sleep is this object and its Set entries. */
class Nap implements AbortWatcher, Ringer {
  readonly #wakeup: Wakeup;

  constructor(
    untilMs: number,
    private readonly resolve: () => void,
    private readonly reject: (reason: unknown) => void,
    private readonly signal: Stopper | undefined,
    shared: boolean,
  ) {
    this.#wakeup = ringAt(untilMs, this, shared);
    if (signal) watchAbort(signal, this);
  }

  /** The signal aborted during the sleep. */
  onAbort(reason: unknown): void {
    this.#wakeup.leave(this);
    this.reject(reason);
  }

  /** The moment came. @internal */
  ring(): void {
    if (this.signal) unwatchAbort(this.signal, this);
    this.resolve();
  }
}

/** The longest delay a Node timer holds (2^31 - 1 ms); a longer sleep is cut to it by `src/core`'s checks. */
const MAX_DELAY_MS = 2_147_483_647;
