/**
 * What every start call does, whatever its protocol (`start-routes.ts` over REST, `grpc-method.ts`
 * over gRPC): it reads the scripting headers (`scripting.ts`), checks the request, and creates
 * the operation, done after the scripted seconds with the call's response or the scripted error.
 * A call that stands for a task gives the operation's live metadata, and is handed the operation
 * to tie its task to it.
 */
import type { EmulatedOperation, LiveMetadata, OperationJson, OperationStore } from './operations';
import { headerValue, type RequestHeaders, readScripting } from './scripting';

/** The request header (REST) or metadata (gRPC) that names the caller's folder. */
const FOLDER_ID_HEADER = 'x-folder-id';
/** The folder of a request that names none. */
const DEFAULT_FOLDER_ID = 'b1gemulator';

/** What a start call knows besides its request. */
export interface StartContext {
  nowMs: number;
  /** The folder the request names in `x-folder-id`, else `b1gemulator`. */
  folderId: string;
  headers: RequestHeaders;
}

/** What a valid request starts. */
export interface Started {
  /** The response (with its `@type`) the operation finishes with, unless scripted to fail. */
  response: unknown;
  /** The operation's metadata at each stage; `null` throughout when absent. */
  metadata?: LiveMetadata;
  /** Told the operation once it exists, to tie a task (or a dataset) to it. */
  track?(operation: EmulatedOperation): void;
}

/** One start call: the description of the operations it starts, and what a request starts. */
export interface StartCall {
  /** The started operation's `description`. */
  description: string;
  /** What a request (its JSON) starts, or why it is invalid (a 400 or INVALID_ARGUMENT, code 3). */
  respond(request: Record<string, unknown>, context: StartContext): Started | { invalid: string };
}

/** Starts `call`'s operation for `request`: the operation as it is at `nowMs`, or why the request is invalid. */
export function start(
  call: StartCall,
  operations: OperationStore,
  request: Record<string, unknown>,
  headers: RequestHeaders,
  nowMs: number,
): OperationJson | { invalid: string } {
  const scripting = readScripting(headers);
  if ('invalid' in scripting) return scripting;
  const started = call.respond(request, { nowMs, folderId: headerValue(headers, FOLDER_ID_HEADER) || DEFAULT_FOLDER_ID, headers });
  if ('invalid' in started) return started;
  const { doneAfter, failWith } = scripting;
  const result = failWith === null ? { response: started.response } : { error: failWith };
  const operation = operations.create({ description: call.description, doneAfter, ...result }, nowMs, started.metadata);
  started.track?.(operation);
  return operation.json(nowMs);
}

/** The non-empty string a request gives in `field`, or `undefined` (proto3 JSON leaves an empty string out). */
export function requiredString(request: Record<string, unknown>, field: string): string | undefined {
  const value = request[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
