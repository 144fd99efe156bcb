/**
 * Assistant runs (`GET /assistants/v1/runs/{id}` on the `rest-assistant` endpoint), which are not
 * Operations: an operation kind of their own on the {@link OperationKind} extension point, with a
 * status of its own ({@link AssistantRunStatus}) that the whole polling machinery reuses. The
 * reference's rules: PENDING and IN_PROGRESS run, COMPLETED and TOOL_CALLS succeed (the run stops
 * to ask for tool results), FAILED and CANCELLED fail; waits default to 300 s, polled every 0.5 s;
 * a run cannot be cancelled.
 */
import { CancelNotSupportedError, RunError, WireDecodeError } from './errors';
import { deepFreeze, frozenCopy, ownCopy } from './immutable';
import type { OperationKind } from './kind';
import { typeName } from './options';
import { StateStatus, type StateTable } from './state-status';

/** The REST route of a run, below the assistants endpoint. */
export const RUN_PATH = '/assistants/v1/runs/';

/** The states of a run, as the REST API spells them. */
export type AssistantRunState = 'RUN_STATUS_UNSPECIFIED' | 'PENDING' | 'IN_PROGRESS' | 'FAILED' | 'COMPLETED' | 'TOOL_CALLS' | 'CANCELLED';

/** A run, as the service describes it (the result of its wait). */
export interface AssistantRunResult {
  id: string;
  assistantId?: string;
  threadId?: string;
  createdBy?: string;
  createdAt?: string;
  labels?: Record<string, string>;
  state: {
    status: AssistantRunState;
    /** Why a FAILED run failed. */
    error?: { message?: string };
    /** The assistant's answer of a COMPLETED run. */
    completedMessage?: Record<string, unknown>;
    /** The tool calls a TOOL_CALLS run waits on. */
    toolCallList?: Record<string, unknown>;
  };
  usage?: { promptTokens?: string; completionTokens?: string; totalTokens?: string };
  [field: string]: unknown;
}

const RUN_STATES: StateTable = {
  running: new Set(['PENDING', 'IN_PROGRESS']),
  succeeded: new Set(['COMPLETED', 'TOOL_CALLS']),
  failed: new Set(['FAILED', 'CANCELLED']),
};

/** The status of an assistant run at one moment: its state, and the run as it was then. Immutable. */
export class AssistantRunStatus extends StateStatus<AssistantRunState> {
  /** The run as the service sent it (deep-frozen). */
  readonly run: Readonly<AssistantRunResult>;

  /** Its `state` is one of `PENDING`, `IN_PROGRESS`, `COMPLETED`, `TOOL_CALLS`, `FAILED`, `CANCELLED`. */
  constructor(run: AssistantRunResult) {
    super('AssistantRunStatus', run.state.status, RUN_STATES);
    this.run = deepFreeze(run);
    Object.freeze(this);
  }
}

/** The status in a run's JSON; an answer for another run, or without a state, is a {@link WireDecodeError}. */
export function decodeRun(wire: unknown, expectedId: string): AssistantRunStatus {
  const run = frozenCopy(wire) as Partial<AssistantRunResult> | null;
  if (run === null || typeof run !== 'object' || Array.isArray(run) || typeof run.state?.status !== 'string') {
    throw new WireDecodeError(
      `the server did not answer a Run with a state.status for run ${JSON.stringify(expectedId)} (got ${typeName(wire)})`,
    );
  }
  if (run.id !== undefined && run.id !== expectedId) {
    throw new WireDecodeError(`the server answered a request for run ${JSON.stringify(expectedId)} with another run (a different id)`);
  }
  return new AssistantRunStatus(run as AssistantRunResult);
}

/** Refuses a run's cancel: the service has none. */
export function refuseCancel(runId: string): never {
  throw new CancelNotSupportedError({ operationId: runId, kind: 'Assistant run' });
}

/** The kind of assistant runs: 300 s / 0.5 s, the run itself as the result, a RunError for a failed one. */
export const ASSISTANT_RUN_KIND: OperationKind<AssistantRunStatus, AssistantRunResult> = {
  defaultPollTimeoutS: 300,
  defaultPollIntervalS: 0.5,
  runError: (runId, failed) =>
    new RunError({
      code: failed.state === 'CANCELLED' ? 1 : 2,
      message: failed.run.state.error?.message ?? `the run is ${failed.state}`,
      details: null,
      operationId: runId,
    }),
  result: (succeeded) => ownCopy(succeeded.run) as AssistantRunResult,
};
