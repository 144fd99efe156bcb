/**
 * The REST start calls the emulator serves, as a table of rows: each row's route, the description
 * of the operations it starts, and what they finish with (or why a request is invalid, a 400 with
 * code 3). Every row's operation is scripted by the same headers (`scripting.ts`, read by
 * `start.ts`): when it is done, and whether it fails instead.
 */
import { GrpcCode } from '../core/grpc-codes';
import { batchCompletionRow } from './batch-completion';
import { COMPLETION_ROW } from './completion';
import { IMAGE_GENERATION_ROW } from './image-generation';
import type { OperationStore } from './operations';
import { type Exchange, exactPath, parseObject, type Route, readBody, type StartRow } from './route';
import { ADD_SEARCH_INDEX_FILES_ROW, CREATE_SEARCH_INDEX_ROW } from './search-index';
import { start } from './start';
import type { EmulatorStores } from './stores';
import { WEB_SEARCH_ROW } from './web-search';

const ROWS: readonly StartRow[] = [
  COMPLETION_ROW,
  IMAGE_GENERATION_ROW,
  WEB_SEARCH_ROW,
  CREATE_SEARCH_INDEX_ROW,
  ADD_SEARCH_INDEX_FILES_ROW,
];

/** The routes of every start call, creating their operations (and tasks) in `stores`. */
export function startRoutes(stores: EmulatorStores): Route[] {
  const rows = [...ROWS, batchCompletionRow(stores.batches, stores.datasets)];
  return rows.map((row) => ({ pattern: exactPath(row.path), methods: { POST: (x: Exchange) => startRow(row, stores.operations, x) } }));
}

async function startRow(row: StartRow, operations: OperationStore, { req, reply, entry }: Exchange): Promise<void> {
  const request = parseObject(await readBody(req));
  if (request === undefined) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, 'The request body must be a JSON object');
  const started = start(row, operations, request, req.headers, Date.now());
  if ('invalid' in started) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, started.invalid);
  entry.operationId = started.id;
  reply.json(200, started);
}
