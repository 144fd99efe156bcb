/**
 * The request headers with which a caller scripts what the emulator's start calls and runs do:
 * when they finish, and how they fail. They read the same over REST (HTTP headers) and gRPC
 * (metadata, which travels as HTTP/2 headers).
 */
import type { RpcStatus } from './script';

/** A request's headers, names lower-cased, as `node:http` and `node:http2` both give them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A request header's value, repeats joined by ", ". */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request header that sets, in seconds, when the started operation (or run) is done (default 1 s). */
export const DONE_AFTER_HEADER = 'x-emulator-done-after';
/**
 * The request header that makes the started operation finish with this error instead of its
 * response: a google.rpc.Status as JSON, such as `{"code":9,"message":"no such model"}`. On a
 * run, its message is the FAILED run's error.
 */
export const FAIL_WITH_HEADER = 'x-emulator-fail-with';

const DEFAULT_DONE_AFTER = 1;

/** The scripted finish of a start call, or why its headers are invalid (a 400, code 3). */
export type Scripting = { doneAfter: number; failWith: RpcStatus | null } | { invalid: string };

/** Reads {@link DONE_AFTER_HEADER} and {@link FAIL_WITH_HEADER}. */
export function readScripting(headers: RequestHeaders): Scripting {
  const doneAfterHeader = headerValue(headers, DONE_AFTER_HEADER);
  const failWithHeader = headerValue(headers, FAIL_WITH_HEADER);
  const doneAfter = doneAfterHeader === undefined ? DEFAULT_DONE_AFTER : Number(doneAfterHeader);
  if (doneAfterHeader?.trim() === '' || !Number.isFinite(doneAfter) || doneAfter < 0) {
    return { invalid: `${DONE_AFTER_HEADER} must be a number of seconds >= 0` };
  }
  if (failWithHeader === undefined) return { doneAfter, failWith: null };
  let failWith: unknown;
  try {
    failWith = JSON.parse(failWithHeader);
  } catch {
    failWith = null;
  }
  const { code, message } = (failWith ?? {}) as Partial<RpcStatus>;
  if (!Number.isInteger(code) || (code as number) <= 0 || typeof message !== 'string') {
    return { invalid: `${FAIL_WITH_HEADER} must be a google.rpc.Status JSON with a code > 0 and a message` };
  }
  return { doneAfter, failWith: { code: code as number, message } };
}
