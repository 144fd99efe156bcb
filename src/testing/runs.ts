/**
 * Assistant runs as the emulator plays them (they are not Operations): `POST /assistants/v1/runs`
 * creates one, `GET /assistants/v1/runs/{id}` shows it. A run is PENDING for the first third of
 * its time, IN_PROGRESS until it is done (after 1 s, or the seconds of `x-emulator-done-after`),
 * then COMPLETED with a message that echoes its `assistantId`, or the state the caller scripted
 * with `x-emulator-run-status` (`TOOL_CALLS`, `FAILED`, `CANCELLED`); `x-emulator-fail-with`
 * makes it FAILED with that message. Runs have no cancel.
 */
import { GrpcCode } from '../core/grpc-codes';
import { CREATED_BY, newOperationId, unusedId } from './operations';
import { decodePathSegment, type Exchange, parseObject, type Route, readBody } from './route';
import { headerValue, readScripting } from './scripting';

/** The request header that scripts the state a run ends in (default `COMPLETED`). */
export const RUN_STATUS_HEADER = 'x-emulator-run-status';

const FINAL_STATES = ['COMPLETED', 'TOOL_CALLS', 'FAILED', 'CANCELLED'] as const;
type FinalState = (typeof FINAL_STATES)[number];

interface EmulatedRun {
  id: string;
  assistantId: string;
  threadId: string;
  createdAtMs: number;
  doneAfterMs: number;
  final: FinalState;
  failMessage: string;
}

/** Every run of one emulator, by id. */
export class RunStore {
  private readonly runs = new Map<string, EmulatedRun>();

  create(run: Omit<EmulatedRun, 'id'>): EmulatedRun {
    const created = { id: unusedId(this.runs), ...run };
    this.runs.set(created.id, created);
    return created;
  }

  get(id: string): EmulatedRun | undefined {
    return this.runs.get(id);
  }
}

/** The routes of the runs in `runs`. */
export function runRoutes(runs: RunStore): Route[] {
  return [
    { pattern: /^\/assistants\/v1\/runs$/, methods: { POST: (x) => create(runs, x) } },
    { pattern: /^\/assistants\/v1\/runs\/([^/]+)$/, methods: { GET: (x) => show(runs, x) } },
  ];
}

async function create(runs: RunStore, { req, reply, entry }: Exchange): Promise<void> {
  const scripting = readScripting(req.headers);
  if ('invalid' in scripting) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, scripting.invalid);
  const scripted = headerValue(req.headers, RUN_STATUS_HEADER);
  if (scripted !== undefined && !(FINAL_STATES as readonly string[]).includes(scripted)) {
    return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, `${RUN_STATUS_HEADER} must be one of ${FINAL_STATES.join(', ')}`);
  }
  const request = parseObject(await readBody(req));
  const { assistantId, threadId } = request ?? {};
  if (typeof assistantId !== 'string' || assistantId === '' || typeof threadId !== 'string' || threadId === '') {
    return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, 'assistantId and threadId are required');
  }
  const nowMs = Date.now();
  const run = runs.create({
    assistantId,
    threadId,
    createdAtMs: nowMs,
    doneAfterMs: scripting.doneAfter * 1000,
    final: (scripted as FinalState | undefined) ?? (scripting.failWith ? 'FAILED' : 'COMPLETED'),
    failMessage: scripting.failWith?.message ?? 'The run failed',
  });
  entry.operationId = run.id;
  reply.json(200, runJson(run, nowMs));
}

function show(runs: RunStore, { reply, entry, params }: Exchange): void {
  const id = decodePathSegment(params[0] as string);
  if (id === null) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, 'Malformed percent-encoding in the run id');
  entry.operationId = id;
  const run = runs.get(id);
  if (run === undefined) return reply.rpcError(404, GrpcCode.NOT_FOUND, `Run ${id} not found`);
  reply.json(200, runJson(run, Date.now()));
}

/** The run in its REST form at `nowMs`. */
function runJson(run: EmulatedRun, nowMs: number): unknown {
  const elapsedMs = nowMs - run.createdAtMs;
  const done = elapsedMs >= run.doneAfterMs;
  const status = done ? run.final : elapsedMs < run.doneAfterMs / 3 ? 'PENDING' : 'IN_PROGRESS';
  return {
    id: run.id,
    assistantId: run.assistantId,
    threadId: run.threadId,
    createdBy: CREATED_BY,
    createdAt: new Date(run.createdAtMs).toISOString(),
    labels: {},
    state: { status, ...(done ? stateData(run) : {}) },
    ...(done ? { usage: { promptTokens: '3', completionTokens: '2', totalTokens: '5' } } : {}),
  };
}

function stateData(run: EmulatedRun): Record<string, unknown> {
  switch (run.final) {
    case 'COMPLETED':
      return {
        completedMessage: {
          id: newOperationId(),
          threadId: run.threadId,
          author: { id: run.assistantId, role: 'ASSISTANT' },
          content: { content: [{ text: { content: `Answer of ${run.assistantId}` } }] },
        },
      };
    case 'TOOL_CALLS':
      return { toolCallList: { toolCalls: [{ functionCall: { name: 'lookup', arguments: { query: run.threadId } } }] } };
    case 'FAILED':
      return { error: { message: run.failMessage } };
    case 'CANCELLED':
      return {};
  }
}
