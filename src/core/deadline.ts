/**
 * Deadlines as data. Every deadline is a `nowMs()` value (milliseconds since the epoch) fixed by
 * the one who owns it: a call's by its `timeout`, a wait's by its `pollTimeout`. An error that a
 * deadline caused is marked with that deadline's value, so its owner recognises its own deadline
 * by identity, not by the error's shape: an auth provider's own timeout, or a server's
 * DEADLINE_EXCEEDED answer, carries no mark and is never taken for the wait's deadline.
 */
const marks = new WeakMap<object, number>();

/** Marks `error` as caused by the deadline `deadlineMs`; returns it. */
export function markDeadline<E extends object>(error: E, deadlineMs: number): E {
  marks.set(error, deadlineMs);
  return error;
}

/** The deadline that caused `error`, or `null` when no deadline of ours did. */
export function deadlineOf(error: unknown): number | null {
  return typeof error === 'object' && error !== null ? (marks.get(error) ?? null) : null;
}
