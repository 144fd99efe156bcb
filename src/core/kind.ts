/**
 * What differs between operation kinds, kept out of the polling machinery: how a finished status
 * becomes a result or a {@link RunError}, and the kind's default poll timeout and interval. The Operation API's
 * kind ({@link operationKind}) decodes the wire JSON with the user's decoders; another kind (the
 * reference's batch tasks, with an enum status) supplies its own.
 */
import { RunError, WireDecodeError } from './errors';
import { deepFreeze, frozenCopy, ownCopy } from './immutable';
import {
  checkFunction,
  checkOperationId,
  checkOptions,
  DEFAULT_POLL_INTERVAL_S,
  DEFAULT_POLL_TIMEOUT_S,
  MAX_TIMER_S,
  secondsOrFallback,
  typeName,
} from './options';
import { checkSavedOperation } from './resume';
import { type AnyReader, isSdkOperation, sdkOperationJson } from './sdk-operation';
import { type BaseOperationStatus, OperationStatus } from './status';
import { decodeOperation } from './wire';

export interface OperationKind<S extends BaseOperationStatus, T> {
  /** The poll timeout `wait()` uses when given none (or 0), in seconds. */
  readonly defaultPollTimeoutS: number;
  /** The poll interval `wait()` uses when given none (or 0), in seconds. @default 10 */
  readonly defaultPollIntervalS?: number;
  /** The error a failed status raises. */
  runError(operationId: string, failed: S): RunError;
  /** The result of a succeeded status; `timeout` is the caller's call timeout, in seconds. */
  result(succeeded: S, ctx: { timeout: number }): T | Promise<T>;
}

/** Options of one operation of the Operation API. */
export interface OperationOptions<T = unknown, M = unknown> {
  /**
   * Turns the response (the JSON object with its `@type` key) into the result `getResult()`
   * and `wait()` return. Default: the response as it is. The blocking flavour takes only a
   * synchronous decoder: it runs on the caller's thread.
   */
  resultDecoder?: (response: unknown, ctx: { timeout: number }) => T | Promise<T>;
  /** Turns the wire metadata (when not null) into the `metadata` of each status. Default: as it is. */
  metadataDecoder?: (metadata: unknown) => M;
  /** This operation's poll timeout when `wait()` gets none, in seconds. @default 3600 */
  defaultPollTimeout?: number;
  /** This operation's poll interval when `wait()` gets none, in seconds. @default 10 */
  defaultPollInterval?: number;
}

const OPERATION_OPTIONS = ['resultDecoder', 'metadataDecoder', 'defaultPollTimeout', 'defaultPollInterval'] as const;

/** The kind of an Operation API operation, plus its wire decoder. */
export interface ApiOperationKind<T, M> extends OperationKind<OperationStatus<M>, T> {
  /**
   * The id and status in an Operation message's JSON that a caller gave (`fromOperation`,
   * `restore`); runs `metadataDecoder`. The status holds a deep-frozen copy of it.
   */
  decode(wire: unknown): { id: string | null; status: OperationStatus<M> };
  /**
   * The same, for the JSON of a server's answer to a request for operation `expectedId`: the SDK
   * parsed it and owns it, so it is frozen in place, not copied. An answer for another operation
   * is a {@link WireDecodeError}.
   */
  decodeAnswer(wire: unknown, expectedId: string): { id: string | null; status: OperationStatus<M> };
}

/** Checks an operation's options and returns its kind (one shared kind for operations without options). */
export function operationKind<T, M>(options: OperationOptions<T, M> | undefined): ApiOperationKind<T, M> {
  if (options === undefined) return (PLAIN_KIND ??= makeKind({})) as ApiOperationKind<T, M>;
  return makeKind(checkOptions('operation', options, OPERATION_OPTIONS));
}

let PLAIN_KIND: ApiOperationKind<unknown, unknown> | undefined;

function makeKind<T, M>(o: OperationOptions<T, M>): ApiOperationKind<T, M> {
  checkFunction('resultDecoder', o.resultDecoder);
  checkFunction('metadataDecoder', o.metadataDecoder);
  const { resultDecoder, metadataDecoder } = o;
  /** The status of frozen wire JSON, with the metadata decoder's output (frozen too). */
  const decoded = (frozen: unknown): { id: string | null; status: OperationStatus<M> } => {
    const { id, status } = decodeOperation(frozen);
    if (!metadataDecoder || status.metadata === null) return { id, status: status as OperationStatus<M> };
    const { done, error, response } = status;
    return {
      id,
      status: new OperationStatus<M>({ done, error, response, metadata: deepFreeze(metadataDecoder(ownCopy(status.metadata))) }),
    };
  };
  return {
    defaultPollTimeoutS: secondsOrFallback('defaultPollTimeout', o.defaultPollTimeout, DEFAULT_POLL_TIMEOUT_S),
    defaultPollIntervalS: secondsOrFallback('defaultPollInterval', o.defaultPollInterval, DEFAULT_POLL_INTERVAL_S, MAX_TIMER_S),
    runError: (operationId, failed) => RunError.fromErrorInfo(operationId, failed.error!),
    // The caller owns what it gets: a copy of the frozen response, given to the decoder too.
    result: (succeeded, ctx) => (resultDecoder ? resultDecoder(ownCopy(succeeded.response), ctx) : ownCopy(succeeded.response as T)),
    decode: (wire) => decoded(frozenCopy(wire)),
    decodeAnswer(wire, expectedId) {
      const answer = decoded(deepFreeze(wire));
      if (answer.id !== null && answer.id !== expectedId) {
        // The other id is not quoted: it is server-supplied text, kept out of errors like any other.
        throw new WireDecodeError(
          `the server answered a request for operation ${JSON.stringify(expectedId)} with the status of another operation (a different id)`,
        );
      }
      return answer;
    },
  };
}

/**
 * The id, kind and status of an operation given as an Operation JSON (`fromOperation`), or as the
 * official SDK's Operation object, whose `Any` values `readAny` decodes (src/core/sdk-operation.ts).
 */
export function kindFromOperationJson<T, M>(wire: unknown, options: OperationOptions<T, M> | undefined, readAny?: AnyReader) {
  if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) {
    throw new TypeError(`fromOperation takes an Operation JSON object, got ${typeName(wire)}`);
  }
  const kind = operationKind(options);
  const { id, status } = kind.decode(readAny && isSdkOperation(wire) ? sdkOperationJson(wire, readAny) : wire);
  if (id === null) throw new TypeError('fromOperation needs an Operation JSON with an "id"');
  return { id: checkOperationId(id), kind, status };
}

/** The id, kind and status of a saved operation (`restore`); `options` override what was saved. */
export function kindFromSavedOperation<T, M>(saved: unknown, endpoint: string, options: OperationOptions<T, M> | undefined) {
  const s = checkSavedOperation(saved, endpoint);
  const kind = operationKind<T, M>({ defaultPollTimeout: s.defaultPollTimeout, ...checkOptions('restore', options, OPERATION_OPTIONS) });
  return { id: s.id, kind, status: s.lastKnownStatus && kind.decode(s.lastKnownStatus).status };
}
