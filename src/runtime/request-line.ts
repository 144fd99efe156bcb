/**
 * The client's request line, with promises and one timer: a request takes a place with
 * {@link RequestSlots.acquire} and gives it back when its answer is in. Who goes when is decided
 * by `src/core/request-line.ts`; this module only wakes the requests it lets go.
 */
import { type Flight, type LineEntry, lineEntry, RequestLine } from '../core/request-line';
import { type Stopper, whenAborted } from './abort';

interface Waiter extends LineEntry {
  go: () => void;
}

/** What a request holds while it is in flight: give it back once, with `release()`. */
export interface Slot {
  release(): void;
}

/** What a request that waited in line and was never sent knew of the line. */
export interface LineWait {
  waitedMs: number;
  inFlight: number;
}

export class RequestSlots {
  readonly #line = new RequestLine<Waiter>();
  #timer: NodeJS.Timeout | null = null;
  #timerAtMs = Number.POSITIVE_INFINITY;

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#line.inFlight;
  }

  /**
   * Resolves with a slot when the request may go (at once when the line is free). Rejects with
   * `signal.reason` when the signal aborts first; `onLeave` is then told how long it waited.
   */
  acquire(deadlineMs: number, signal: Stopper, onLeave?: (wait: LineWait) => void): Promise<Slot> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const nowMs = Date.now();
    if (this.#line.mayGoNow(nowMs)) return Promise.resolve(this.#slot(this.#line.start(nowMs)));
    return new Promise<Slot>((resolve, reject) => {
      const entry: Waiter = {
        ...lineEntry(nowMs, deadlineMs),
        go: () => {
          stop();
          resolve(this.#slot(this.#line.start(Date.now())));
        },
      };
      const stop = whenAborted(signal, (reason) => {
        this.#line.remove(entry);
        onLeave?.({ waitedMs: Date.now() - entry.enqueuedMs, inFlight: this.#line.inFlight });
        reject(reason);
      });
      this.#line.enqueue(entry);
      this.#arm();
    });
  }

  #slot(flight: Flight): Slot {
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.#line.finish(flight);
        this.#drain();
      },
    };
  }

  #drain(): void {
    for (const entry of this.#line.due(Date.now())) entry.go();
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
