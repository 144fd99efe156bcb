/**
 * One plan for every start helper of both clients: a producer row (`src/core/producers`), the
 * request and the helper's options become the start call's URL, body and bound, and the options
 * of the operation it returns (the row's result decoder and wait defaults). Checked before any
 * request; the answer is checked to be an Operation with an id.
 */
import { WireDecodeError } from '../core/errors';
import type { OperationOptions } from '../core/kind';
import { checkOptions, DEFAULT_CALL_TIMEOUT_S, secondsToMs, typeName } from '../core/options';
import type { Producer } from '../core/producers/producer';
import { resolveEndpoint } from './config';

/** Options of a start helper, in seconds. */
export interface StartOptions {
  /** Where the start call goes: a base URL or a short name. @default the row's endpoint (`llm`, `searchapi`, `rest-assistant`) */
  endpoint?: string;
  /** The bound of the start call, all its retries included, in seconds. @default 60 */
  timeout?: number;
}

/** What the client needs to plan a start call. */
export interface StartContext {
  allowInsecureHttp: boolean;
  /** The client's folder, filled into the row's folder field when the request has none. */
  folderId: string | null;
  /** The flavour's own option names (`signal` for promises). */
  flavourOptions: readonly string[];
}

/** The start call of `producer` for `request`, and the options of the operation it returns. */
export function planStart<R, T>(producer: Producer<R, T>, request: R, options: object | undefined, ctx: StartContext) {
  const checked = producer.check(request) as Record<string, unknown>;
  const o = checkOptions(producer.method, options as StartOptions & Record<string, unknown> | undefined, [
    'endpoint', 'timeout', ...ctx.flavourOptions, ...(producer.options ?? []),
  ]);
  const { folderField } = producer;
  const body = folderField !== undefined && checked[folderField] === undefined && ctx.folderId !== null
    ? { ...checked, [folderField]: ctx.folderId }
    : checked;
  const operation: OperationOptions<T, unknown> = {
    resultDecoder: producer.decoder(o),
    defaultPollTimeout: producer.defaultPollTimeout,
    defaultPollInterval: producer.defaultPollInterval,
  };
  return {
    url: resolveEndpoint(o.endpoint ?? producer.endpoint, ctx.allowInsecureHttp) + producer.path,
    body,
    timeoutMs: secondsToMs('timeout', o.timeout, DEFAULT_CALL_TIMEOUT_S),
    operation,
  };
}

/** The start call's answer, when it is an Operation JSON with an id; a server fault otherwise. */
export function checkStartAnswer(wire: unknown): object {
  const id = (wire as { id?: unknown } | null)?.id;
  if (wire === null || typeof wire !== 'object' || typeof id !== 'string') {
    throw new WireDecodeError(`the start call did not answer an Operation with an id (got ${typeName(wire)}${typeof wire === 'object' && wire !== null ? ` whose id is ${typeName(id)}` : ''})`);
  }
  return wire;
}
