/**
 * The start calls the emulator serves, as a table of rows: each row's route, the description of
 * the operations it starts, and the response they finish with (or why a request is invalid, a
 * 400 with code 3). Every row's operation is scripted by the same headers (`scripting.ts`): when
 * it is done, and whether it fails instead.
 */
import { GrpcCode } from '../core/grpc-codes';
import { COMPLETION_ROW } from './completion';
import { IMAGE_GENERATION_ROW } from './image-generation';
import type { OperationStore } from './operations';
import { exactPath, headerValue, parseObject, readBody, type Exchange, type Route, type StartRow } from './route';
import { DONE_AFTER_HEADER, FAIL_WITH_HEADER, readScripting } from './scripting';
import { ADD_SEARCH_INDEX_FILES_ROW, CREATE_SEARCH_INDEX_ROW } from './search-index';
import { WEB_SEARCH_ROW } from './web-search';

const ROWS: readonly StartRow[] = [COMPLETION_ROW, IMAGE_GENERATION_ROW, WEB_SEARCH_ROW, CREATE_SEARCH_INDEX_ROW, ADD_SEARCH_INDEX_FILES_ROW];

/** The routes of every start call, creating their operations in `operations`. */
export function startRoutes(operations: OperationStore): Route[] {
  return ROWS.map((row) => ({ pattern: exactPath(row.path), methods: { POST: (x: Exchange) => start(row, operations, x) } }));
}

async function start(row: StartRow, operations: OperationStore, { req, reply, entry }: Exchange): Promise<void> {
  const scripting = readScripting(headerValue(req, DONE_AFTER_HEADER), headerValue(req, FAIL_WITH_HEADER));
  if ('invalid' in scripting) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, scripting.invalid);
  const request = parseObject(await readBody(req));
  if (request === undefined) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, 'The request body must be a JSON object');
  const nowMs = Date.now();
  const answer = row.respond(request, nowMs);
  if ('invalid' in answer) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, answer.invalid);
  const { doneAfter, failWith } = scripting;
  const result = failWith === null ? { response: answer.response } : { error: failWith };
  const operation = operations.create({ description: row.description, doneAfter, ...result }, nowMs);
  entry.operationId = operation.id;
  reply.json(200, operation.json(nowMs));
}
