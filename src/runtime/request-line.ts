/**
 * The client's request line, with promises and one timer: a request takes a place with
 * {@link RequestSlots.acquire} and gives it back when its answer is in. Who goes when is decided
 * by `src/core/request-line.ts`; this module only wakes the requests it lets go.
 */
import { type Flight, type LineEntry, mustGoAt, RequestLine } from '../core/request-line';
import { type AbortWatcher, type Stopper, unwatchAbort, watchAbort } from './abort';

/** What a request holds while it is in flight: give it back once, with `release()`. */
export interface Slot {
  release(): void;
}

/** What waits in a line: given its slot once the line lets it go (unless it {@link RequestSlots.leave}s first). */
export interface LineWaiter extends LineEntry {
  admit(slot: Slot): void;
}

/** What a request that waited in line and was never sent knew of the line. */
export interface LineWait {
  waitedMs: number;
  inFlight: number;
}

export class RequestSlots {
  readonly #line = new RequestLine<LineWaiter>();
  #timer: NodeJS.Timeout | null = null;
  #timerAtMs = Number.POSITIVE_INFINITY;

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#line.inFlight;
  }

  /**
   * Resolves with a slot when the request may go (at once when the line is free). Rejects with
   * `signal.reason` when the signal aborts first; `onLeave` is then told how long it waited.
   * `timeoutMs`: the call's bound as it started (`src/core/request-line.ts`'s `mustGoAt`).
   */
  acquire(deadlineMs: number, signal: Stopper, onLeave?: (wait: LineWait) => void, timeoutMs?: number): Promise<Slot> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const nowMs = Date.now();
    if (this.#line.mayGoNow(nowMs)) return Promise.resolve(this.#start(nowMs));
    return new Promise<Slot>((resolve, reject) => {
      const waiter = new Waiter(this, nowMs, mustGoAt(nowMs, deadlineMs, timeoutMs), signal, onLeave, resolve, reject);
      watchAbort(signal, waiter);
      this.#wait(waiter);
    });
  }

  /**
   * A slot at once when the line is free; else `null`, and `waiter` (its `enqueuedMs` and
   * `mustGoMs` set) waits in line until it is admitted, or until it {@link RequestSlots.leave}s.
   */
  enter(waiter: LineWaiter): Slot | null {
    const slot = this.take();
    if (slot === null) this.#wait(waiter);
    return slot;
  }

  /** A slot at once when the line is free; else `null` (then {@link RequestSlots.acquire} waits for one). */
  take(): Slot | null {
    const nowMs = Date.now();
    return this.#line.mayGoNow(nowMs) ? this.#start(nowMs) : null;
  }

  /** Takes `waiter` out of the line (it gave up: its signal aborted); the line as it saw it. */
  leave(waiter: LineWaiter): LineWait {
    this.#line.remove(waiter);
    return { waitedMs: Date.now() - waiter.enqueuedMs, inFlight: this.#line.inFlight };
  }

  /** A flight is over: its place goes to the next in line. @internal */
  finish(flight: Flight): void {
    this.#line.finish(flight);
    this.#drain();
  }

  #start(nowMs: number): Slot {
    return new HeldSlot(this, this.#line.start(nowMs));
  }

  #wait(waiter: LineWaiter): void {
    this.#line.enqueue(waiter);
    this.#arm();
  }

  #drain(): void {
    // Nobody in line (most ends of a flight): nothing to admit; a timer left by one who left goes.
    if (this.#line.waiting === 0) {
      if (this.#timer !== null) this.#arm();
      return;
    }
    for (const waiter of this.#line.due(Date.now())) waiter.admit(this.#start(Date.now()));
    this.#arm();
  }

  /** Keeps one timer set for the next moment the line may let a request go without a flight ending. */
  #arm(): void {
    const atMs = this.#line.nextCheckMs();
    if (atMs === null) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#timerAtMs = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.#timer && this.#timerAtMs <= atMs) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAtMs = atMs;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#timerAtMs = Number.POSITIVE_INFINITY;
        this.#drain();
      },
      Math.max(0, atMs - Date.now()) + 1,
    );
  }
}

/** A request in line for {@link RequestSlots.acquire}: one object, which its signal's watch tells when it aborts (no closure of its own). */
class Waiter implements LineWaiter, AbortWatcher {
  constructor(
    private readonly slots: RequestSlots,
    readonly enqueuedMs: number,
    readonly mustGoMs: number,
    private readonly signal: Stopper,
    private readonly onLeave: ((wait: LineWait) => void) | undefined,
    private readonly resolve: (slot: Slot) => void,
    private readonly reject: (reason: unknown) => void,
  ) {}

  admit(slot: Slot): void {
    unwatchAbort(this.signal, this);
    this.resolve(slot);
  }

  onAbort(reason: unknown): void {
    const wait = this.slots.leave(this);
    this.onLeave?.(wait);
    this.reject(reason);
  }
}

/** A place in flight, given back once. */
class HeldSlot implements Slot {
  #flight: Flight | null;

  constructor(
    private readonly slots: RequestSlots,
    flight: Flight,
  ) {
    this.#flight = flight;
  }

  release(): void {
    const flight = this.#flight;
    if (flight === null) return;
    this.#flight = null;
    this.slots.finish(flight);
  }
}
