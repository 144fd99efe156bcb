/**
 * A request budget: no more than `ratePerSecond` requests start in any second. Each request
 * reserves the next free slot, `1 / ratePerSecond` seconds after the previous one, in the order
 * they ask (so every call, wait and `waitAll` of a client gets its turn). Time is passed in.
 */
import { numberInRange } from './options';

export class RequestPacer {
  /** The budget, in requests per second. */
  readonly ratePerSecond: number;
  readonly #spacingMs: number;
  #nextSlotMs = Number.NEGATIVE_INFINITY;

  constructor(ratePerSecond: unknown, name = 'maxRequestsPerSecond') {
    this.ratePerSecond = numberInRange(name, ratePerSecond, 0.001, 1_000_000);
    this.#spacingMs = 1000 / this.ratePerSecond;
  }

  /** The time between two slots, in milliseconds. */
  get spacingMs(): number {
    return this.#spacingMs;
  }

  /**
   * Reserves a slot for a request wanting to start at `nowMs`, if one is free before `deadlineMs`:
   * returns when it may start (a `nowMs` value), or `null` (nothing reserved) when no slot comes in time.
   */
  reserveBefore(nowMs: number, deadlineMs: number): number | null {
    const slot = Math.max(nowMs, this.#nextSlotMs);
    if (slot >= deadlineMs) return null;
    this.#nextSlotMs = slot + this.#spacingMs;
    return slot;
  }
}
