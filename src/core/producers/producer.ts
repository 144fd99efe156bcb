/**
 * A producer: one call that starts a long-running operation, as a row of data. Its start route
 * (REST, or gRPC for a service with no REST route) and endpoint, how its request is checked, how
 * its operation's response becomes the result, and the reference's wait defaults for its kind.
 * Both clients start every row through one plan (`src/client/start.ts`): a new row is a table
 * entry and its one documented start helper in `src/client/members.ts`, written once for both.
 */
import type { CallRunner } from '../calls';
import { WireDecodeError } from '../errors';
import { DEFAULT_POLL_INTERVAL_S, DEFAULT_POLL_TIMEOUT_S, typeName } from '../options';

/** A start call that goes over gRPC (a service with no REST route): the method, answering an Operation. */
export interface GrpcStart {
  /** `/yandex.cloud.ai.tuning.v1.TuningService/Tune`. */
  readonly method: string;
  /** The full name of its request message. */
  readonly requestType: string;
}

/** One call that starts an operation: where it goes and how its request is checked. */
export type StartRoute<R> =
  /** The REST route of the start call (a `POST`). */
  (
    | { readonly path: string; readonly grpc?: undefined }
    /** The gRPC method of the start call, for a service with no REST route. */
    | { readonly grpc: GrpcStart; readonly path?: undefined }
  ) & {
    /** The client method that starts it, named in messages. */
    readonly method: string;
    /** The short name of the endpoint the start call goes to unless told otherwise (`llm`, `searchapi`, ...). */
    readonly endpoint: string;
    /** The body field that names the folder; filled with the client's `folderId` when the request has none. */
    readonly folderField?: string;
    /** Options of the start helper beyond `endpoint`, `timeout` (and `signal`), read by the row's decoder. */
    readonly options?: readonly string[];
    /** Returns the request when it has the shape the API takes; throws a TypeError naming the field. */
    check(request: unknown): R;
  };

/** What a decoder may use beyond the response: the start call's endpoint, and how its own calls are run. */
export interface DecoderContext {
  /** The base URL the start call went to (a gRPC-only row's later calls go there too). */
  readonly endpoint: string;
  readonly run: CallRunner;
}

/** A start call whose operation is an Operation API one, and the kind of that operation. Times are in seconds. */
export type Producer<R, T> = StartRoute<R> & {
  /** The decoder of a succeeded operation's response (a copy the caller owns), for the start helper's options. */
  decoder(
    options: Readonly<Record<string, unknown>>,
    ctx: DecoderContext,
  ): (response: unknown, call: { timeout: number }) => T | Promise<T>;
  /** The poll timeout `wait()` uses when given none, in seconds. */
  readonly defaultPollTimeout: number;
  /** The poll interval `wait()` uses when given none, in seconds. */
  readonly defaultPollInterval: number;
};

/** The reference's wait defaults of an OperationService-tracked kind: 3600 s, polled every 10 s. */
export const OPERATION_WAIT_DEFAULTS = {
  defaultPollTimeout: DEFAULT_POLL_TIMEOUT_S,
  defaultPollInterval: DEFAULT_POLL_INTERVAL_S,
} as const;

/** `value` as an object of fields, or a TypeError for the `what` request. */
export function requestObject(what: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`${what} must be an object, got ${typeName(value)}`);
  return value as Record<string, unknown>;
}

/** Throws a TypeError unless `value` is a non-empty string. */
export function nonEmptyString(what: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what}: ${field} must be a non-empty string`);
}

/** Throws a TypeError unless `value` is absent or an array of non-empty strings (at least one when `required`). */
export function stringList(what: string, field: string, value: unknown, required = false): void {
  if (value === undefined && !required) return;
  if (!Array.isArray(value) || (required && value.length === 0) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new TypeError(`${what}: ${field} must be ${required ? 'a non-empty' : 'an'} array of non-empty strings`);
  }
}

/** The response's field as an object, or a {@link WireDecodeError} naming the kind. */
export function responseObject(kind: string, response: unknown): Record<string, unknown> {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) {
    throw new WireDecodeError(`the ${kind} operation's response is not an object (got ${typeName(response)})`);
  }
  return response as Record<string, unknown>;
}

/** The bytes of a proto3-JSON `bytes` field (standard or URL-safe base64), or a {@link WireDecodeError}. */
export function base64Bytes(kind: string, field: string, value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new WireDecodeError(`the ${kind} response's ${field} is not base64 text (got ${typeName(value)})`);
  let binary: string;
  try {
    binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw new WireDecodeError(`the ${kind} response's ${field} is not valid base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
