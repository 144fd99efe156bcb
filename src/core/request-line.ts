/**
 * The rule of a client's request line: how many requests go out at once, and when one waiting in
 * line goes out anyway. Pure: time is passed in; `src/runtime/request-line.ts` keeps the timer.
 *
 * - At most {@link LINE_SLOTS} requests count as in flight; more wait in line, in order. A request
 *   waiting here costs a closure, one queued in an HTTP agent a whole request.
 * - A request in flight for {@link SLOW_AFTER_MS} stops counting: a hung or slow answer does not
 *   hold the line, so the next in line goes.
 * - A request that has waited in line for half of the time it had left when it came goes at once,
 *   whatever the count: no request loses its own deadline to requests for other operations.
 */

/** How many requests of one client count as in flight at once. */
export const LINE_SLOTS = 64;
/** How long a request counts as in flight before it is deemed slow and stops holding its slot, in milliseconds. */
export const SLOW_AFTER_MS = 1000;

/** A request waiting in line. */
export interface LineEntry {
  /** When it came to the line (a `nowMs()` value). */
  readonly enqueuedMs: number;
  /** When it must go at the latest (a `nowMs()` value): half-way from its arrival to its deadline. */
  readonly mustGoMs: number;
}

/** The `LineEntry` of a request arriving at `nowMs` with its call's deadline `deadlineMs`. */
export function lineEntry(nowMs: number, deadlineMs: number): LineEntry {
  return { enqueuedMs: nowMs, mustGoMs: nowMs + Math.max(0, deadlineMs - nowMs) / 2 };
}

/** A request that went out. */
export interface Flight {
  readonly startedMs: number;
}

export class RequestLine<E extends LineEntry> {
  /** Requests in flight that still count (not yet slow), in the order they started. */
  readonly #counted: Flight[] = [];
  readonly #line: E[] = [];
  #inFlight = 0;
  /** No entry in line must go before this (a lower bound, so that most `due()` calls skip the scan). */
  #earliestMustGoMs = Number.POSITIVE_INFINITY;

  /** Requests in flight, slow ones included. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting in line. */
  get waiting(): number {
    return this.#line.length;
  }

  /** True when a request arriving now may go at once (a counted slot is free and nobody waits). */
  mayGoNow(nowMs: number): boolean {
    this.#expire(nowMs);
    return this.#line.length === 0 && this.#counted.length < LINE_SLOTS;
  }

  /** Puts `entry` in line. */
  enqueue(entry: E): void {
    this.#line.push(entry);
    this.#earliestMustGoMs = Math.min(this.#earliestMustGoMs, entry.mustGoMs);
  }

  /** Takes `entry` out of the line (it left: aborted). */
  remove(entry: E): void {
    const at = this.#line.indexOf(entry);
    if (at >= 0) this.#line.splice(at, 1);
  }

  /** Records a request that goes out now. */
  start(nowMs: number): Flight {
    const flight = { startedMs: nowMs };
    this.#counted.push(flight);
    this.#inFlight += 1;
    return flight;
  }

  /** Records the end of a flight. */
  finish(flight: Flight): void {
    const at = this.#counted.indexOf(flight);
    if (at >= 0) this.#counted.splice(at, 1);
    this.#inFlight -= 1;
  }

  /** The entries that go now, taken out of the line: as slots are free, then every one past its `mustGoMs`. */
  due(nowMs: number): E[] {
    this.#expire(nowMs);
    const out: E[] = [];
    while (this.#line.length > 0 && this.#counted.length + out.length < LINE_SLOTS) out.push(this.#line.shift()!);
    if (this.#line.length > 0 && this.#earliestMustGoMs <= nowMs) {
      const waiting: E[] = [];
      let earliest = Number.POSITIVE_INFINITY;
      for (const e of this.#line.splice(0)) {
        if (e.mustGoMs <= nowMs) out.push(e);
        else {
          waiting.push(e);
          earliest = Math.min(earliest, e.mustGoMs);
        }
      }
      this.#line.push(...waiting);
      this.#earliestMustGoMs = earliest;
    }
    return out;
  }

  /** When `due()` may next give an entry without a flight ending (a `nowMs()` value); `null` with nobody in line. */
  nextCheckMs(): number | null {
    if (this.#line.length === 0) return null;
    const slow = this.#counted.length > 0 ? this.#counted[0]!.startedMs + SLOW_AFTER_MS : Number.POSITIVE_INFINITY;
    return Math.min(slow, this.#earliestMustGoMs);
  }

  /** Flights in flight for {@link SLOW_AFTER_MS} stop counting. */
  #expire(nowMs: number): void {
    while (this.#counted.length > 0 && this.#counted[0]!.startedMs + SLOW_AFTER_MS <= nowMs) this.#counted.shift();
  }
}
