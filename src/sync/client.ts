/**
 * The blocking flavour's client. Its options are plain data: they travel to the worker thread
 * that sends the requests. Its members are the client layer's, typed for blocking calls.
 */
import { ClientLayer } from '../client/layer';
import { OperationsClientMembers } from '../client/members';
import { checkOptions, typeName } from '../core/options';
import type { RetryOptions } from '../core/retry';
import { resolveAuth } from '../transport/auth';
import { CLIENT_OPTIONS, type ClientOptions, resolveClientConfig } from '../transport/config';
import { envLogger } from '../transport/env-logger';
import { type BlockingFlavour, BlockingPorts, resolveWorkerPath } from './ports';
import type { WorkerClientOptions } from './protocol';

/** The client options the blocking flavour takes: all but `axios` (its requests are sent in the worker thread). */
const SYNC_CLIENT_OPTIONS = [...CLIENT_OPTIONS.filter((name) => name !== 'axios'), 'workerPath'];

/** Options of a blocking client: the async client's, as plain data, plus where the worker is. */
export interface SyncClientOptions extends Omit<ClientOptions, 'auth' | 'axios'> {
  auth?: WorkerClientOptions['auth'];
  /**
   * The path of the SDK's worker file (`dist/sync/worker.js` of this package), for apps that
   * bundle the SDK. @default process.env.YC_OPERATION_WORKER, else the file next to this build
   */
  workerPath?: string;
}

export class OperationsClient extends OperationsClientMembers<BlockingFlavour> {
  readonly #ports: BlockingPorts;

  /**
   * Checks the options at once, and starts the worker thread (unref'd) if none runs yet, so that
   * it boots while the caller does other work: the first blocking call waits only for what is left.
   */
  constructor(options?: SyncClientOptions) {
    const { workerPath, logger, ...rest } = checkOptions('client', options, SYNC_CLIENT_OPTIONS);
    if (rest.auth !== undefined && rest.auth !== null && typeof rest.auth === 'object' && 'getHeaders' in rest.auth) {
      throw new TypeError(
        'the blocking client takes credentials as plain data (a string or { apiKey | iamToken | oauthToken }), not an AuthProvider',
      );
    }
    if (workerPath !== undefined && typeof workerPath !== 'string')
      throw new TypeError(`workerPath must be a string, got ${typeName(workerPath)}`);
    resolveAuth(rest.auth); // checks the credentials now, as the async client does (providers do no I/O until used)
    const config = resolveClientConfig({ ...rest, logger });
    const { maxRequestsPerSecond: _spentHere, ca: _sentAsText, retry, ...forWorker } = rest;
    // The retry hooks stay here, on the caller's thread: the worker asks for them by name.
    const { shouldRetry, onRetry, ...plainRetry } = retry === false || retry === undefined ? ({} as RetryOptions) : retry;
    const retryHooks = { shouldRetry, onRetry };
    const asked = (['shouldRetry', 'onRetry'] as const).filter((hook) => retryHooks[hook] !== undefined);
    const workerOptions: WorkerClientOptions = {
      ...forWorker,
      ...(retry === undefined ? {} : { retry: retry === false ? false : plainRetry }),
      ...(asked.length ? { retryHooks: asked } : {}),
      endpoint: config.endpoint,
      folderId: config.folderId ?? undefined,
      log: logger !== undefined || envLogger() !== null,
      ...(config.ca === null ? {} : { ca: config.ca.toString() }),
    };
    const ports = new BlockingPorts({
      options: workerOptions,
      retryHooks,
      logger: config.logger,
      budget: config.budget,
      endpoint: config.endpoint,
      workerPath: resolveWorkerPath(workerPath),
    });
    const settings = {
      endpoint: config.endpoint,
      allowInsecureHttp: rest.allowInsecureHttp ?? false,
      folderId: config.folderId,
      startOptions: [],
      logger: config.logger,
      nowMs: Date.now,
    };
    super(new ClientLayer(ports, settings));
    this.#ports = ports;
  }

  /**
   * Frees the client's sockets; the last open client also ends the worker thread. A wait of this
   * client still running (closed from its `onProgress`, say) fails with an `AIStudioError` at its
   * next step, and so does any later call. Never throws, even when the worker has died.
   */
  close(): void {
    this.#ports.close();
  }

  /** `using client = new OperationsClient()`: closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `OperationsClient<https://...>`: never the credentials. */
  override toString(): string {
    return `OperationsClient<${this.endpoint}>`;
  }
}
