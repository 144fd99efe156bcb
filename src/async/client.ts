/**
 * The promise flavour's client: it owns the REST transport (one socket pool, one credential
 * provider) and makes {@link AsyncOperation}s that share it.
 */
import { checkOperationId } from '../core/options';
import { kindFromOperationJson, kindFromSavedOperation, operationKind, type ApiOperationKind, type OperationOptions } from '../core/kind';
import type { OperationStatus } from '../core/status';
import { resolveClientConfig, type ClientOptions } from '../transport/config';
import { createTransport } from '../transport/create-transport';
import type { RestTransport } from '../transport/rest';
import { AsyncOperation } from './operation';
import { linkToClient, type ClientLink } from './base-operation';
import { SharedPolls } from './shared-polls';
import { AIStudioError } from '../core/errors';
import { CallScope } from '../runtime/call-scope';
import { checkStartAnswer, planCompletion } from '../transport/completion';
import type { CompletionRequest, CompletionResponse } from '../core/completion';

export class AsyncOperationsClient {
  readonly #transport: RestTransport;
  readonly #polls: SharedPolls;
  readonly #allowInsecureHttp: boolean;
  readonly #logger;
  readonly #link: ClientLink;

  /** Checks the options at once (a bad option throws here); credentials are looked up at the first request. */
  constructor(options?: ClientOptions) {
    const config = resolveClientConfig(options);
    this.#logger = config.logger;
    this.#transport = createTransport(config);
    this.#allowInsecureHttp = options?.allowInsecureHttp ?? false;
    this.#polls = new SharedPolls(this.#transport);
    this.#link = {
      scope: new CallScope(() => new AIStudioError(`this AsyncOperationsClient of ${this.#transport.endpoint} is closed`)),
      budget: config.budget,
      endpoint: this.#transport.endpoint,
    };
  }

  /** The base URL this client calls. */
  get endpoint(): string {
    return this.#transport.endpoint;
  }

  /** The operation with this id; no request is made until you call one of its members. */
  operation<T = unknown, M = unknown>(id: string, options?: OperationOptions<T, M>): AsyncOperation<T, M> {
    return this.#make(checkOperationId(id), operationKind(options), null);
  }

  /**
   * The operation described by an Operation JSON, such as the answer of the call that started
   * it: its status is known at once, without a request.
   */
  fromOperation<T = unknown, M = unknown>(wire: object, options?: OperationOptions<T, M>): AsyncOperation<T, M> {
    const { id, kind, status } = kindFromOperationJson(wire, options);
    return this.#make(id, kind, status);
  }

  /**
   * The operation saved by `toJSON()` (by either flavour): its status is known at once, without a
   * request. `options` (decoders, defaultPollTimeout) apply as to `operation()`.
   */
  restore<T = unknown, M = unknown>(saved: unknown, options?: OperationOptions<T, M>): AsyncOperation<T, M> {
    const { id, kind, status } = kindFromSavedOperation(saved, this.endpoint, options);
    return this.#make(id, kind, status);
  }

  /**
   * Starts an AI Studio deferred completion (`POST /foundationModels/v1/completionAsync`) and
   * returns its operation, whose result is the completion. `endpoint` is where the start call
   * goes (default `llm`); the operation is polled on this client's endpoint. `timeout` bounds the
   * start call, in seconds (default 60).
   */
  async completionAsync(
    request: CompletionRequest,
    options?: { endpoint?: string; timeout?: number; signal?: AbortSignal },
  ): Promise<AsyncOperation<CompletionResponse>> {
    const { url, timeoutMs } = planCompletion(request, options, this.#allowInsecureHttp);
    const call = this.#link.scope.open(options?.signal);
    try {
      const wire = checkStartAnswer(await this.#transport.startOperation(url, request, { deadlineMs: Date.now() + timeoutMs, signal: call.signal }));
      const { id, kind, status } = kindFromOperationJson<CompletionResponse, unknown>(wire, undefined);
      return this.#make(id, kind, status);
    } finally {
      call.end();
    }
  }

  /**
   * Frees the client's sockets. Every call, wait and watch in progress (sleeping ones included)
   * rejects at once with an `AIStudioError` saying the client is closed, and so does any later
   * call. Leaves no timer or socket; never throws; closing twice does nothing more.
   */
  close(): void {
    this.#link.scope.close();
    this.#transport.close();
  }

  /** `using client = new AsyncOperationsClient()`: closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using client = new AsyncOperationsClient()`: closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** `AsyncOperationsClient<https://...>`: never the credentials. */
  toString(): string {
    return `AsyncOperationsClient<${this.endpoint}>`;
  }

  #make<T, M>(id: string, kind: ApiOperationKind<T, M>, initialStatus: OperationStatus<M> | null): AsyncOperation<T, M> {
    const transport = this.#transport;
    const polls = this.#polls;
    const arrivals = new WeakMap<OperationStatus<M>, number>();
    return new AsyncOperation<T, M>(linkToClient({
      id,
      kind,
      initialStatus,
      endpoint: transport.endpoint,
      logger: this.#logger,
      fetch: async (o) => {
        const { wire, receivedAtMs } = await polls.get(id, o);
        const { status } = kind.decode(wire, id);
        arrivals.set(status, receivedAtMs);
        return status;
      },
      receivedAtMs: (status) => arrivals.get(status),
      cancel: async (o) => kind.decode(await transport.cancelOperation(id, o), id).status,
    }, this.#link));
  }
}
