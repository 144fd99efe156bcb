/**
 * The demo's report: a line per progress step, cancel and outcome, each stamped with the time
 * since its section began, and each outcome explained in plain words. It also keeps count of
 * outcomes that differ from the expected ones (the demo then exits with 1).
 */
import { OperationTimeoutError, RunError } from 'yc-operation';
import { GrpcCode } from 'yc-operation/testing';
import { codeLabel } from '../cli/format';
import { formatSeconds } from '../cli/progress';
import { type OutcomeKind, SCENARIOS, type Scenario } from './scenarios';

/** How a wait ended: its result, or what it threw. */
export type Outcome = { result: string } | { error: unknown };

const NAME_WIDTH = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
/** Where a line's text starts: after `  [ 1.0 s] `, the name and two spaces. */
const TEXT_COLUMN = 11 + NAME_WIDTH + 2;

/** An outcome in plain words, after `polls` polls: its kind, and one line or more on what happened. */
export function explain(outcome: Outcome, polls: number): { kind: OutcomeKind; lines: string[] } {
  const after = `after ${polls} poll${polls === 1 ? '' : 's'}`;
  if ('result' in outcome) return { kind: 'success', lines: [`succeeded ${after}: wait() returned ${outcome.result}`] };
  const { error } = outcome;
  if (error instanceof RunError) {
    const cancelled = error.code === GrpcCode.CANCELLED;
    return {
      kind: cancelled ? 'cancelled' : 'failed',
      lines: [
        `${cancelled ? 'was cancelled' : 'failed'} ${after}: wait() threw RunError, ${codeLabel(error.code)}: ${error.errorMessage}`,
        ...error.details.map((detail) => `detail: ${detail}`),
      ],
    };
  }
  if (error instanceof OperationTimeoutError) {
    return {
      kind: 'timed out',
      lines: [
        `still running ${after}, when its pollTimeout of ${error.pollTimeout} s ran out: wait() threw OperationTimeoutError`,
        'the operation itself goes on, on the server: wait on it again later, or cancel it',
      ],
    };
  }
  return {
    kind: 'unexpected error',
    lines: [`unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`],
  };
}

export class Report {
  readonly #print: (line: string) => void;
  readonly #surprises: string[] = [];
  #sectionStartMs = Date.now();

  constructor(print: (line: string) => void) {
    this.#print = print;
  }

  /** The outcomes that differed from the expected ones, described. */
  get surprises(): readonly string[] {
    return this.#surprises;
  }

  /** Any text, as is. */
  text(...lines: string[]): void {
    for (const line of lines) this.#print(line);
  }

  /** Starts a section: a title, and the clock of its lines. */
  section(title: string): void {
    this.#print('');
    this.#print(title);
    this.#sectionStartMs = Date.now();
  }

  /** A line about one scenario, stamped with the time since the section began. */
  line(scenario: Scenario, text: string): void {
    this.#print(`  [${formatSeconds(Date.now() - this.#sectionStartMs).padStart(6)}] ${scenario.name.padEnd(NAME_WIDTH)}  ${text}`);
  }

  /** The outcome of a scenario's wait, explained; a surprise when it is not the expected one. */
  outcome(scenario: Scenario, outcome: Outcome, polls: number): void {
    const { kind, lines } = explain(outcome, polls);
    const [first, ...more] = lines;
    this.line(scenario, first!);
    for (const line of more) this.#print(`${' '.repeat(TEXT_COLUMN)}${line}`);
    if (kind !== scenario.expected) this.#surprises.push(`${scenario.name}: expected "${scenario.expected}", got "${kind}"`);
  }
}
