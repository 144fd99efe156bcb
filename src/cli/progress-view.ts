/**
 * What the progress of `wait` looks like, as pure functions of what is known: the percentage in
 * an operation's metadata, the ETA it gives, the bar and the live line of a terminal, the
 * heartbeat line of a log. No I/O, no clock: `./progress.ts` calls them.
 */

/** A heartbeat line at least this often while nothing changes, off a terminal: 30 seconds. */
export const HEARTBEAT_SECONDS = 30;
/**
 * An internal variable, for tests: the heartbeat's interval in seconds instead of
 * {@link HEARTBEAT_SECONDS}. Not documented for users.
 */
export const HEARTBEAT_VARIABLE = 'YC_OPERATION_CLI_HEARTBEAT';

/** The heartbeat's interval in milliseconds: {@link HEARTBEAT_VARIABLE} when it is a positive number, else 30 s. */
export function heartbeatMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env[HEARTBEAT_VARIABLE] || NaN);
  return (seconds > 0 && Number.isFinite(seconds) ? seconds : HEARTBEAT_SECONDS) * 1000;
}

/**
 * The percentage an operation's metadata reports: the first top-level field whose name holds
 * `percent` (`percent`, `percentage`, `progressPercent`, ...) with a number from 0 to 100 (or
 * such a number as a string, as proto3 JSON writes 64-bit integers); `null` when there is none.
 */
export function percentOf(metadata: unknown): number | null {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return null;
  for (const [name, value] of Object.entries(metadata)) {
    if (!/percent/i.test(name) || (typeof value !== 'number' && typeof value !== 'string') || value === '') continue;
    const percent = Number(value);
    if (percent >= 0 && percent <= 100) return percent;
  }
  return null;
}

/** A percentage and when it was seen, in milliseconds. */
export interface PercentSample {
  percent: number;
  atMs: number;
}

/**
 * The time left when `last` was seen, in milliseconds, at the average pace since `first`;
 * `null` when the percentage has not grown.
 */
export function etaMs(first: PercentSample, last: PercentSample): number | null {
  if (last.percent <= first.percent || last.atMs <= first.atMs) return null;
  const perMs = (last.percent - first.percent) / (last.atMs - first.atMs);
  return (100 - last.percent) / perMs;
}

/** Seconds with one decimal: `3.4 s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A duration for an ETA, whole: `45 s`, `2 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** A bar of `width` cells, in plain ASCII: `[#####---------------]`. */
export function progressBar(percent: number, width = 20): string {
  const filled = Math.round((Math.min(Math.max(percent, 0), 100) / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** What the live line shows. */
export interface LiveView {
  /** The status in a word (`running`). */
  label: string;
  elapsedMs: number;
  polls: number;
  /** The metadata as `name=value` pairs, or `''`. */
  metadata: string;
  /** The metadata's percentage, or `null`. */
  percent: number | null;
  /** The time left, or `null` when unknown. */
  etaMs: number | null;
}

/**
 * The live line of a terminal, cut to `columns - 1` characters:
 * `running [########------------]  40% ETA 1 min 12 s · 12.4 s · poll 9 · stage=working percent=40`,
 * or without the bar when the metadata has no percentage.
 */
export function liveLine(view: LiveView, columns: number): string {
  const head =
    view.percent === null
      ? view.label
      : `${view.label} ${progressBar(view.percent)} ${view.percent.toFixed(0).padStart(3)}%${view.etaMs === null ? '' : ` ETA ${formatDuration(view.etaMs)}`}`;
  const line = [head, formatSeconds(view.elapsedMs), `poll ${view.polls}`, view.metadata].filter(Boolean).join(' · ');
  const width = columns - 1;
  return line.length <= width ? line : `${line.slice(0, Math.max(width - 1, 0))}…`;
}

/**
 * A heartbeat line: what the wait is on, for how long, and the state that has not changed:
 * `[60.0 s] still waiting on operation abc: running, stage=working (unchanged for 30.0 s, 7 polls)`.
 */
export function heartbeatLine(id: string, elapsedMs: number, state: string | null, unchangedMs: number, polls: number): string {
  const head = `[${formatSeconds(elapsedMs)}] still waiting on operation ${id}`;
  if (state === null) return `${head}: no answer yet`;
  return `${head}: ${state} (unchanged for ${formatSeconds(unchangedMs)}, ${polls} poll${polls === 1 ? '' : 's'})`;
}
