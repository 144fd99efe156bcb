/**
 * One plan for every start helper of both clients: a start row, the
 * request and the helper's options become the start call's target (a REST URL and body, or a gRPC
 * method and message) and bound, and the options of the operation it returns (the row's result
 * decoder and wait defaults). Checked before any request; the answer is checked to be an
 * Operation with an id.
 */

import type { CallRunner } from '../core/calls';
import { WireDecodeError } from '../core/errors';
import type { OperationOptions } from '../core/kind';
import { checkOptions, DEFAULT_CALL_TIMEOUT_S, secondsToMs, typeName } from '../core/options';
import type { Producer, StartRoute } from '../core/producers/producer';
import type { ServiceCall } from '../core/transport';
import { resolveEndpoint } from '../transport/config';

/** Options of a start helper, in seconds. */
export interface StartOptions {
  /**
   * Where the start call goes: a base URL or a short name. A gRPC-only row (`validateDataset`,
   * `tune`) calls its service there over gRPC, whatever the client's protocol. @default the row's
   * endpoint (`llm`, `searchapi`, `rest-assistant`)
   */
  endpoint?: string;
  /** The bound of the start call, all its retries included, in seconds. @default 60 */
  timeout?: number;
}

/** Options of the promise flavour's start helpers: where the start call goes, its bound, its signal. */
export interface AsyncStartOptions extends StartOptions {
  /** Stops the start call: the request is aborted and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** What the client needs to plan a start call. */
export interface StartContext {
  allowInsecureHttp: boolean;
  /** The client's folder, filled into the row's folder field when the request has none. */
  folderId: string | null;
  /** The flavour's own option names (`signal` for promises). */
  flavourOptions: readonly string[];
}

/** Where a start call goes: a REST POST, or a gRPC method (a service with no REST route). */
export type StartTarget = { kind: 'rest'; url: string; body: unknown } | { kind: 'grpc'; endpoint: string; call: ServiceCall };

/** The start call of `route` for `request`: its target and bound, and the helper's checked options. */
export function planStart<R>(route: StartRoute<R>, request: R, options: object | undefined, ctx: StartContext) {
  const checked = route.check(request) as Record<string, unknown>;
  const o = checkOptions(route.method, options as (StartOptions & Record<string, unknown>) | undefined, [
    'endpoint',
    'timeout',
    ...ctx.flavourOptions,
    ...(route.options ?? []),
  ]);
  const { folderField } = route;
  const body =
    folderField !== undefined && checked[folderField] === undefined && ctx.folderId !== null
      ? { ...checked, [folderField]: ctx.folderId }
      : checked;
  const endpoint = resolveEndpoint(o.endpoint ?? route.endpoint, ctx.allowInsecureHttp);
  const target: StartTarget = route.grpc
    ? { kind: 'grpc', endpoint, call: { ...route.grpc, responseType: 'yandex.cloud.operation.Operation', request: body, subject: null } }
    : { kind: 'rest', url: endpoint + route.path, body };
  return { target, endpoint, timeoutMs: secondsToMs('timeout', o.timeout, DEFAULT_CALL_TIMEOUT_S), options: o };
}

/** The options of the operation a producer row's start call returns: its result decoder (whose own calls go through `run`) and its wait defaults. */
export function operationOptions<R, T>(
  producer: Producer<R, T>,
  plan: ReturnType<typeof planStart<R>>,
  run: CallRunner,
): OperationOptions<T, unknown> {
  return {
    resultDecoder: producer.decoder(plan.options, { endpoint: plan.endpoint, run }),
    defaultPollTimeout: producer.defaultPollTimeout,
    defaultPollInterval: producer.defaultPollInterval,
  };
}

/** The start call's answer, when it is an Operation JSON with an id; a server fault otherwise. */
export function checkStartAnswer(wire: unknown): object {
  const id = (wire as { id?: unknown } | null)?.id;
  if (wire === null || typeof wire !== 'object' || typeof id !== 'string') {
    throw new WireDecodeError(
      `the start call did not answer an Operation with an id (got ${typeName(wire)}${typeof wire === 'object' && wire !== null ? ` whose id is ${typeName(id)}` : ''})`,
    );
  }
  return wire;
}
