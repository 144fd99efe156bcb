/**
 * The status of a kind whose service reports an enum state (assistant runs, batch tasks,
 * tunings): the three predicates of {@link BaseOperationStatus} read from a table of which states
 * run, succeed and fail; a state in none of them (`STATUS_UNSPECIFIED`) is neither running nor
 * finished, as the reference reads it.
 */
import { type BaseOperationStatus, isFinished, type StatusName, statusNameOf } from './status';

/** Which states run, succeed and fail. */
export interface StateTable {
  readonly running: ReadonlySet<string>;
  readonly succeeded: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
}

/** The states of AI Studio's tasks (batch inference and tuning name the same values), as the API spells them. */
export type TaskState = 'STATUS_UNSPECIFIED' | 'CREATED' | 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';

/** The states of AI Studio's tasks (batch inference, tuning): CREATED, PENDING, IN_PROGRESS run; COMPLETED succeeds; FAILED, CANCELED fail. */
export const TASK_STATES: StateTable = {
  running: new Set(['CREATED', 'PENDING', 'IN_PROGRESS']),
  succeeded: new Set(['COMPLETED']),
  failed: new Set(['FAILED', 'CANCELED']),
};

/** A status that is one state of an enum. Subclasses freeze themselves once built. */
export abstract class StateStatus<S extends string> implements BaseOperationStatus {
  /** The state, as the API spells it. */
  readonly state: S;
  readonly #table: StateTable;
  readonly #name: string;

  /** `name` starts the text form: `name<state>`. */
  protected constructor(name: string, state: S, table: StateTable) {
    this.state = state;
    this.#table = table;
    this.#name = name;
  }

  get isRunning(): boolean {
    return this.#table.running.has(this.state);
  }
  get isSucceeded(): boolean {
    return this.#table.succeeded.has(this.state);
  }
  get isFailed(): boolean {
    return this.#table.failed.has(this.state);
  }
  get isFinished(): boolean {
    return isFinished(this);
  }
  get statusName(): StatusName {
    return statusNameOf(this);
  }

  /** `BatchTaskStatus<IN_PROGRESS>`, say. */
  toString(): string {
    return `${this.#name}<${this.state}>`;
  }
}
