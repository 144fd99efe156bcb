/**
 * The progress of `wait`, on stderr, one report per poll: on a terminal a single live line
 * rewritten in place (status, elapsed time, poll count, metadata); elsewhere (a pipe, a log
 * file, or a terminal that a log writes on too: --verbose, --debug, YC_OPERATION_LOG) a plain
 * line each time the status or its metadata changes.
 *
 * The blocking wait holds the thread between polls, so the line moves at each poll, not in
 * between: with the default backoff that is several times a second at first, at most every 10 s later.
 */
import type { OperationStatus } from 'yc-operation';
import { describeMetadata, statusLabel } from './format';
import type { Io } from './io';

/** Erases the current terminal line and returns to its start. */
const CLEAR_LINE = '\r\x1b[2K';
const DEFAULT_COLUMNS = 80;

/** Seconds with one decimal: `3.4 s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class Progress {
  readonly #io: Io;
  readonly #live: boolean;
  readonly #nowMs: () => number;
  readonly #startMs: number;
  #polls = 0;
  #lastState = '';

  /** @param live rewrite one line in place (a terminal) instead of writing plain lines */
  constructor(io: Io, live: boolean, nowMs: () => number = Date.now) {
    this.#io = io;
    this.#live = live;
    this.#nowMs = nowMs;
    this.#startMs = nowMs();
  }

  /** How many statuses were reported. */
  get polls(): number {
    return this.#polls;
  }

  /** The time since the progress started, as `3.4 s`. */
  elapsed(): string {
    return formatSeconds(this.#nowMs() - this.#startMs);
  }

  /** Reports one polled status. */
  update(status: OperationStatus): void {
    this.#polls += 1;
    const label = statusLabel(status);
    const metadata = describeMetadata(status.metadata);
    const state = [label, metadata].filter(Boolean).join(', ');
    if (this.#live) {
      const line = this.#io.redact([label, this.elapsed(), `poll ${this.#polls}`, metadata].filter(Boolean).join(' · '));
      this.#io.stderr.write(CLEAR_LINE + fitTo(line, (this.#io.stderr.columns || DEFAULT_COLUMNS) - 1));
    } else if (state !== this.#lastState) {
      this.#io.err(`[${this.elapsed()}] poll ${this.#polls}: ${state}`);
    }
    this.#lastState = state;
  }

  /** Ends the report: the live line is erased, leaving the terminal to the result. */
  finish(): void {
    if (this.#live && this.#polls > 0) this.#io.stderr.write(CLEAR_LINE);
  }
}

function fitTo(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(width - 1, 0))}…`;
}
