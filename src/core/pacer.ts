/**
 * Spaces requests so that no more than `ratePerSecond` start in any second: each request reserves
 * the next free slot, `1 / ratePerSecond` seconds after the previous one. Time is passed in.
 */
import { numberInRange } from './options';

export class RequestPacer {
  readonly #spacingMs: number;
  #nextSlotMs = Number.NEGATIVE_INFINITY;

  constructor(ratePerSecond: number) {
    this.#spacingMs = 1000 / numberInRange('maxRequestsPerSecond', ratePerSecond, 0.001, 1_000_000);
  }

  /** Reserves a slot for a request wanting to start at `nowMs`; returns how long to wait for it, in milliseconds. */
  reserve(nowMs: number): number {
    const slot = Math.max(nowMs, this.#nextSlotMs);
    this.#nextSlotMs = slot + this.#spacingMs;
    return slot - nowMs;
  }
}
