/**
 * The progress of `wait`, on stderr. On a terminal: one live line rewritten in place at each
 * poll and every second in between (status, a bar with the percentage and an ETA when the
 * metadata has a percentage, elapsed time, poll count, metadata). Elsewhere (a pipe, a log file,
 * or a terminal that a log writes on too: --verbose, --debug, YC_OPERATION_LOG): a plain line
 * each time the status or its metadata changes, and a heartbeat line when nothing was written
 * for 30 s, so that a CI log shows the wait is alive. What the lines look like is
 * `./progress-view.ts`.
 */
import type { OperationStatus } from 'yc-operation';
import { describeMetadata, statusLabel } from './format';
import type { Io } from './io';
import { etaMs, formatSeconds, heartbeatLine, liveLine, type PercentSample, percentOf } from './progress-view';

/** The demo's reports stamp their lines as the plain progress lines are. */
export { formatSeconds } from './progress-view';

/** Erases the current terminal line and returns to its start. */
const CLEAR_LINE = '\r\x1b[2K';
const DEFAULT_COLUMNS = 80;
/** How often the live line is redrawn between polls (its clock and ETA move): 1 s. */
const REDRAW_MS = 1_000;

export interface ProgressOptions {
  /** The operation waited on (named in heartbeat lines). */
  id: string;
  /** Rewrite one line in place (a terminal) instead of writing plain lines. */
  live: boolean;
  /** Off a terminal, the longest silence before a heartbeat line, in milliseconds. */
  heartbeatMs: number;
  /** The clock, in milliseconds. @default Date.now */
  nowMs?: () => number;
}

export class Progress {
  readonly #io: Io;
  readonly #options: Required<ProgressOptions>;
  readonly #startMs: number;
  #polls = 0;
  /** The status and metadata in words, and when they last changed; `null` before the first status. */
  #state: string | null = null;
  #changedAtMs: number;
  #lastStatus: OperationStatus | null = null;
  #firstPercent: PercentSample | null = null;
  #lastPercent: PercentSample | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(io: Io, options: ProgressOptions) {
    this.#io = io;
    this.#options = { nowMs: Date.now, ...options };
    this.#startMs = this.#options.nowMs();
    this.#changedAtMs = this.#startMs;
    if (options.live) this.#timer = setInterval(() => this.#draw(), REDRAW_MS).unref();
    else this.#armHeartbeat();
  }

  /** Reports one polled status. */
  update(status: OperationStatus): void {
    const now = this.#options.nowMs();
    this.#polls += 1;
    this.#lastStatus = status;
    this.#samplePercent(percentOf(status.metadata), now);
    const state = [statusLabel(status), describeMetadata(status.metadata)].filter(Boolean).join(', ');
    const changed = state !== this.#state;
    if (changed) this.#changedAtMs = now;
    this.#state = state;
    if (this.#options.live) this.#draw();
    else if (changed) this.#line(`[${formatSeconds(now - this.#startMs)}] poll ${this.#polls}: ${state}`);
  }

  /** Ends the report: timers stop, and the live line is erased, leaving the terminal to the result. */
  finish(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#options.live && this.#polls > 0) this.#io.stderr.write(CLEAR_LINE);
  }

  /** Keeps the first and last percentages seen; a percentage that goes back starts the pace anew. */
  #samplePercent(percent: number | null, atMs: number): void {
    if (percent === null) return;
    if (this.#lastPercent?.percent !== percent) {
      if (this.#firstPercent === null || percent < this.#lastPercent!.percent) this.#firstPercent = { percent, atMs };
      this.#lastPercent = { percent, atMs };
    }
  }

  #draw(): void {
    const status = this.#lastStatus;
    if (status === null) return;
    const now = this.#options.nowMs();
    const last = this.#lastPercent;
    const eta = last && this.#firstPercent ? etaMs(this.#firstPercent, last) : null;
    const view = {
      label: statusLabel(status),
      elapsedMs: now - this.#startMs,
      polls: this.#polls,
      metadata: describeMetadata(status.metadata),
      percent: percentOf(status.metadata),
      etaMs: eta === null || !last ? null : Math.max(0, eta - (now - last.atMs)),
    };
    this.#io.stderr.write(CLEAR_LINE + this.#io.redact(liveLine(view, this.#io.stderr.columns || DEFAULT_COLUMNS)));
  }

  /** A plain line; the heartbeat's silence starts again. */
  #line(text: string): void {
    this.#io.err(text);
    this.#armHeartbeat();
  }

  #armHeartbeat(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const now = this.#options.nowMs();
      this.#line(heartbeatLine(this.#options.id, now - this.#startMs, this.#state, now - this.#changedAtMs, this.#polls));
    }, this.#options.heartbeatMs).unref();
  }
}
