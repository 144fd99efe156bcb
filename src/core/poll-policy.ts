/**
 * How long to sleep between polls. A number of seconds is the reference's fixed interval; a
 * {@link PollPolicy} (made by {@link backoff}) grows the interval from poll to poll.
 */
import { checkOptions, numberInRange } from './options';

/** Chooses the sleep before the next poll. Make one with {@link backoff}. */
export interface PollPolicy {
  readonly kind: 'poll-policy';
  /**
   * The sleep after poll number `polls` (1-based) found the operation still running, in
   * milliseconds; `random` is drawn from [0, 1).
   */
  intervalMs(polls: number, random: number): number;
  /** A short description for logs, e.g. `backoff(0.1 s x1.3 up to 10 s)`. */
  toString(): string;
}

/** Options of {@link backoff}, in seconds. */
export interface BackoffOptions {
  /** The sleep after the first poll, in seconds. @default 0.1 */
  initial?: number;
  /** The growth of the sleep per poll. @default 1.3 */
  multiplier?: number;
  /** The longest sleep, in seconds. @default 10 */
  max?: number;
  /**
   * The share of each sleep that is random, from 0 (none) to 1 ("full jitter": uniform from
   * 0 to the sleep). Spreads the polls of many operations started together. @default 0.2
   */
  jitter?: number;
  /** The shortest sleep, in seconds, whatever the jitter drew. @default 0.05 */
  min?: number;
}

/**
 * A poll policy whose sleep grows geometrically: after poll n it sleeps
 * `max(min, b - jitter * random * b)` with `b = min(max, initial * multiplier**(n-1))`.
 *
 * The trade-off: an operation that finishes at time T is seen, on average, about
 * `(multiplier - 1) * T / 2` late, after about `log(T * (multiplier - 1) / initial) / log(multiplier)`
 * polls. The defaults (0.1 s, x1.3) see a 3 s operation about 0.4 s late after about 10 polls
 * (measured by `npm run bench`); the reference's fixed 10 s sees it about 7 s late after 2 polls.
 */
export function backoff(options?: BackoffOptions): PollPolicy {
  const o = checkOptions('backoff', options, ['initial', 'multiplier', 'max', 'jitter', 'min']);
  const initialMs = numberInRange('backoff.initial', o.initial ?? 0.1, 0.001, 86_400) * 1000;
  const multiplier = numberInRange('backoff.multiplier', o.multiplier ?? 1.3, 1, 10);
  const maxMs = numberInRange('backoff.max', o.max ?? 10, 0.001, 86_400) * 1000;
  const jitter = numberInRange('backoff.jitter', o.jitter ?? 0.2, 0, 1);
  const minMs = numberInRange('backoff.min', o.min ?? 0.05, 0, 86_400) * 1000;
  const text = `backoff(${initialMs / 1000} s x${multiplier} up to ${maxMs / 1000} s, jitter ${jitter})`;
  return Object.freeze({
    kind: 'poll-policy' as const,
    intervalMs(polls: number, random: number): number {
      const base = Math.min(maxMs, initialMs * multiplier ** (polls - 1));
      return Math.max(minMs, base - jitter * random * base);
    },
    toString: () => text,
  });
}

/** The reference's fixed interval, in seconds, as a policy. */
export function fixedInterval(seconds: number): PollPolicy {
  return Object.freeze(new FixedInterval(seconds));
}

/** A fixed interval: its methods on the prototype, so that a wait's policy is one small object. */
class FixedInterval implements PollPolicy {
  readonly kind = 'poll-policy' as const;
  readonly #seconds: number;

  constructor(seconds: number) {
    this.#seconds = seconds;
  }

  intervalMs(): number {
    return this.#seconds * 1000;
  }

  toString(): string {
    return `every ${this.#seconds} s`;
  }
}

/** True for an object made by {@link backoff} (or any object of the {@link PollPolicy} shape). */
export function isPollPolicy(value: unknown): value is PollPolicy {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as PollPolicy).kind === 'poll-policy' &&
    typeof (value as PollPolicy).intervalMs === 'function'
  );
}
