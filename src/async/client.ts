/**
 * The promise flavour's client: it owns the transport (one socket pool, one credential provider)
 * and makes {@link AsyncOperation}s that share it. Its members are the client layer's, typed
 * for promises.
 */
import { ClientLayer } from '../client/layer';
import { OperationsClientMembers } from '../client/members';
import { saidWarnings } from '../client/operation';
import { AIStudioError } from '../core/errors';
import type { ClientTransport } from '../core/transport';
import { CallScope } from '../runtime/call-scope';
import { type ClientOptions, resolveClientConfig } from '../transport/config';
import { createTransport } from '../transport/create-transport';
import { type PromiseFlavour, PromisePorts } from './ports';

export class AsyncOperationsClient extends OperationsClientMembers<PromiseFlavour> {
  readonly #transport: ClientTransport;
  readonly #scope: CallScope;

  /** Checks the options at once (a bad option throws here); credentials are looked up at the first request. */
  constructor(options?: ClientOptions) {
    const config = resolveClientConfig(options);
    const transport = createTransport(config);
    const { endpoint } = transport;
    const scope = new CallScope(() => new AIStudioError(`this AsyncOperationsClient of ${endpoint} is closed`));
    const context = { budget: config.budget, endpoint, nowMs: Date.now, random: Math.random, guard: scope, said: saidWarnings() };
    const settings = {
      endpoint,
      allowInsecureHttp: options?.allowInsecureHttp ?? false,
      folderId: config.folderId,
      startOptions: ['signal'],
      logger: config.logger,
      nowMs: Date.now,
    };
    super(new ClientLayer(new PromisePorts(transport, context, config.logger), settings));
    this.#transport = transport;
    this.#scope = scope;
  }

  /**
   * Frees the client's sockets. Every call, wait and watch in progress (sleeping ones included)
   * rejects at once with an `AIStudioError` saying the client is closed, and so does any later
   * call. Leaves no timer or socket; never throws; closing twice does nothing more.
   */
  close(): void {
    this.#scope.close();
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
  override toString(): string {
    return `AsyncOperationsClient<${this.endpoint}>`;
  }
}
