/**
 * The rule of a client's request line: how many requests go out at once, and when one waiting in
 * line goes out anyway. Pure: time is passed in; `src/runtime/request-line.ts` keeps the timer.
 *
 * - At most {@link LINE_SLOTS} requests count as in flight; more wait in line, in order. A request
 *   waiting here costs one small object, one queued in an HTTP agent a whole request.
 * - A request in flight for {@link SLOW_AFTER_MS} stops counting: a few hung or slow answers do not
 *   hold the line, so the next in line goes.
 * - Slow or not, at most {@link LINE_CAP} requests are in flight at once: under load (a server, or
 *   this process's event loop, answering late) slow answers do not lift the bound, so the process
 *   holds the sockets and garbage of that many requests, not of every waiting one.
 * - A request goes at once, whatever the counts, once half of its call's time is spent (half of
 *   the time it had left when it came, for a call that starts at the line): no request loses its
 *   own deadline to requests for other operations. This is the only way past {@link LINE_CAP}.
 */

/** How many requests of one client count as in flight at once (slow ones aside). */
export const LINE_SLOTS = 64;
/** How many requests of one client are in flight at once, slow ones included (those let go by their deadline aside). */
export const LINE_CAP = 256;
/**
 * How many sockets an HTTP agent opens to one origin: the line's cap, and as many again for
 * requests let go past it by their deadline (which an agent must not queue behind hung ones). It
 * bounds the file descriptors of a client whatever the load.
 */
export const SOCKET_CAP = 2 * LINE_CAP;
/** How long a request counts as in flight before it is deemed slow and stops holding its slot, in milliseconds. */
export const SLOW_AFTER_MS = 1000;

/** A request waiting in line. */
export interface LineEntry {
  /** When it came to the line (a `nowMs()` value). */
  readonly enqueuedMs: number;
  /** When it must go at the latest (a `nowMs()` value): {@link mustGoAt}. */
  readonly mustGoMs: number;
}

/**
 * When a request arriving at `nowMs` with its call's deadline `deadlineMs` must go at the latest:
 * once half of its call's time is spent. `timeoutMs`: the call's bound as it started (by default
 * the time left now), so that a request that waited in one line (a client's polls') and comes to
 * another (its transport's) is not held there again for half of what it has left.
 */
export function mustGoAt(nowMs: number, deadlineMs: number, timeoutMs = deadlineMs - nowMs): number {
  return Math.max(nowMs, deadlineMs - Math.max(0, timeoutMs) / 2);
}

/** The `LineEntry` of a request arriving at `nowMs` with its call's deadline `deadlineMs` (and bound `timeoutMs`, as {@link mustGoAt}'s). */
export function lineEntry(nowMs: number, deadlineMs: number, timeoutMs?: number): LineEntry {
  return { enqueuedMs: nowMs, mustGoMs: mustGoAt(nowMs, deadlineMs, timeoutMs) };
}

/** A request that went out. */
export interface Flight {
  readonly startedMs: number;
}

export class RequestLine<E extends LineEntry> {
  /** Requests in flight that still count (not yet slow), in the order they started. */
  readonly #counted: Flight[] = [];
  /** The line: entries from `#head` on, in order (taking from the front moves an index, not the array). */
  #line: E[] = [];
  #head = 0;
  #inFlight = 0;
  /** No entry in line must go before this (a lower bound, so that most `due()` calls skip the scan). */
  #earliestMustGoMs = Number.POSITIVE_INFINITY;

  /** Requests in flight, slow ones included. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting in line. */
  get waiting(): number {
    return this.#line.length - this.#head;
  }

  /** True when a request arriving now may go at once (a counted slot and a place under the cap are free, and nobody waits). */
  mayGoNow(nowMs: number): boolean {
    this.#expire(nowMs);
    return this.waiting === 0 && this.#hasRoom(0);
  }

  /** Puts `entry` in line. */
  enqueue(entry: E): void {
    this.#line.push(entry);
    this.#earliestMustGoMs = Math.min(this.#earliestMustGoMs, entry.mustGoMs);
  }

  /** Takes `entry` out of the line (it left: aborted). */
  remove(entry: E): void {
    const at = this.#line.indexOf(entry, this.#head);
    // The front leaves by moving the index: a close that aborts a long line in order costs no copy.
    if (at === this.#head) this.#head += 1;
    else if (at > 0) this.#line.splice(at, 1);
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
    // A flight still counted is among the oldest few (they end in about the order they start).
    const counted = this.#counted;
    const at = counted.indexOf(flight);
    // The oldest ends by `shift`, which makes nothing; `splice` makes an array of what it removes.
    if (at === 0) counted.shift();
    else if (at > 0) counted.splice(at, 1);
    this.#inFlight -= 1;
  }

  /** The entries that go now, taken out of the line: as there is room, then every one past its `mustGoMs`. */
  due(nowMs: number): E[] {
    this.#expire(nowMs);
    const out: E[] = [];
    const line = this.#line;
    while (this.#head < line.length && this.#hasRoom(out.length)) out.push(line[this.#head++]!);
    if (this.#head < line.length && this.#earliestMustGoMs <= nowMs) {
      const waiting: E[] = [];
      let earliest = Number.POSITIVE_INFINITY;
      for (let i = this.#head; i < line.length; i++) {
        const e = line[i]!;
        if (e.mustGoMs <= nowMs) out.push(e);
        else {
          waiting.push(e);
          earliest = Math.min(earliest, e.mustGoMs);
        }
      }
      this.#line = waiting;
      this.#head = 0;
      this.#earliestMustGoMs = earliest;
    } else if (this.#head === line.length) {
      this.#line = [];
      this.#head = 0;
      this.#earliestMustGoMs = Number.POSITIVE_INFINITY;
    } else if (this.#head > 1024 && this.#head * 2 > line.length) {
      // The taken front is dropped once it is most of the array.
      this.#line = line.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  /**
   * When `due()` may next give an entry without a flight ending (a `nowMs()` value); `null` with
   * nobody in line. A flight turning slow frees a counted slot, which helps only under the cap.
   */
  nextCheckMs(): number | null {
    if (this.waiting === 0) return null;
    const slowFrees = this.#counted.length > 0 && this.#inFlight < LINE_CAP;
    const slow = slowFrees ? this.#counted[0]!.startedMs + SLOW_AFTER_MS : Number.POSITIVE_INFINITY;
    return Math.min(slow, this.#earliestMustGoMs);
  }

  /** True when `going` more requests may go besides those in flight. */
  #hasRoom(going: number): boolean {
    return this.#counted.length + going < LINE_SLOTS && this.#inFlight + going < LINE_CAP;
  }

  /** Flights in flight for {@link SLOW_AFTER_MS} stop counting. */
  #expire(nowMs: number): void {
    while (this.#counted.length > 0 && this.#counted[0]!.startedMs + SLOW_AFTER_MS <= nowMs) this.#counted.shift();
  }
}
