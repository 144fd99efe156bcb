/**
 * Checks of user input, done on entry so that nothing invalid reaches the wire. Every message
 * names the option. Public values are seconds; this module converts them to milliseconds once.
 */

/** The reference's default `timeout` of one call (get, cancel, each poll), in seconds. */
export const DEFAULT_CALL_TIMEOUT_S = 60;
/** The reference's default poll timeout of an operation kind, in seconds. */
export const DEFAULT_POLL_TIMEOUT_S = 3600;
/** The reference's default poll interval, in seconds. */
export const DEFAULT_POLL_INTERVAL_S = 10;
/** The longest delay a timer holds (2^31 - 1 ms, about 24.8 days), in seconds: the cap of every time that becomes a timer. */
export const MAX_TIMER_S = 2_147_483;

/**
 * From how many seconds a time option looks like milliseconds written by habit (openai-node and the
 * official Node SDK count in milliseconds): a request `timeout` of an hour or more, a `pollInterval`
 * of 1000 s (16.7 min) or more, a `pollTimeout` of more than 30 days (a tuning legitimately waits
 * 72 h, 259 200 s). Such a value is still taken, with a warning (`unitWarning`).
 */
export const MILLISECONDS_LOOKING_S = { timeout: 3600, pollInterval: 1000, pollTimeout: 30 * 86_400 + 1 } as const;

/**
 * The warning for a time option that looks like milliseconds, or `null`:
 * `pollInterval: 5000 is in seconds (83 min); did you mean 5?`.
 */
export function unitWarning(name: keyof typeof MILLISECONDS_LOOKING_S, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < MILLISECONDS_LOOKING_S[name]) return null;
  return `${name}: ${value} is in seconds (${spoken(value)}); did you mean ${value / 1000}?`;
}

/** A number of seconds as a person says it: `83 min`, `1.4 h`, `41.7 days`. */
function spoken(seconds: number): string {
  const round = (n: number) => String(Math.round(n * 10) / 10);
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} days`;
}

const ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/** Returns `id` when it is an operation id this SDK will put in a URL path; throws otherwise. */
export function checkOperationId(id: unknown): string {
  if (typeof id !== 'string') throw new TypeError(`operation id must be a string, got ${typeName(id)}`);
  if (!ID_PATTERN.test(id) || id.includes('..')) {
    const shown = id.length > 40 ? `${JSON.stringify(id.slice(0, 40))}... (${id.length} characters)` : JSON.stringify(id);
    throw new RangeError(`operation id must be 1 to 128 characters of A-Z a-z 0-9 _ - . (no "..", no leading "."), got ${shown}`);
  }
  return id;
}

/** A required positive, finite number of seconds, in milliseconds. `undefined` gives `fallback`. */
export function secondsToMs(name: string, value: unknown, fallbackS: number): number {
  if (value === undefined) return fallbackS * 1000;
  return positiveSeconds(name, value, MAX_TIMER_S) * 1000;
}

/**
 * The reference's `value or default`: `undefined`, `null` and `0` fall back (Python's `or`),
 * anything else must be a positive, finite number of seconds.
 */
export function secondsOrFallback(name: string, value: unknown, fallbackS: number, maxS = Number.POSITIVE_INFINITY): number {
  if (value === undefined || value === null || value === 0) return fallbackS;
  return positiveSeconds(name, value, maxS);
}

/** A positive, finite number of seconds, at most `maxS`: a value already resolved (no fallback). */
export function positiveSeconds(name: string, value: unknown, maxS = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of seconds, got ${typeName(value)}`);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive, finite number of seconds, got ${value}`);
  }
  if (value > maxS) throw new RangeError(`${name} must be at most ${maxS} s (about 24.8 days, the longest a timer holds), got ${value}`);
  return value;
}

/** A whole number within [min, max]. */
export function integerInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** A finite number within [min, max]. */
export function numberInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** What every absent options object reads as: one shared, frozen, empty object. */
const NO_OPTIONS = Object.freeze({});

/** Throws when `options` is not a plain object or has a key that is not in `known`. */
export function checkOptions<T extends object>(where: string, options: T | undefined, known: readonly string[]): T {
  if (options === undefined) return NO_OPTIONS as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where} options must be an object, got ${typeName(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where} has no option "${key}" (known: ${known.join(', ')})`);
    }
  }
  return options;
}

/** Throws when `fn` is set and is not a function. */
export function checkFunction(name: string, fn: unknown): void {
  if (fn !== undefined && typeof fn !== 'function') throw new TypeError(`${name} must be a function, got ${typeName(fn)}`);
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeName(value);
}

/** The type of a value, for error messages (never the value itself: it may be a secret). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
