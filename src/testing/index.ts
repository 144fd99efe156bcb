/**
 * `yc-operation/testing`: an emulator of Yandex Cloud's Operation API for tests, demos and
 * benchmarks. It is a real HTTP server on 127.0.0.1 that runs in a worker thread, so it keeps
 * answering while the caller's thread is blocked in a blocking-flavour call.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { buildUrl } from '../runtime/load';
import type { Command, CommandKind, CommandMessage, CommandResults, WorkerConfig, WorkerMessage } from './protocol';
import type { EmulatorOptions, OperationScript, RecordedRequest } from './script';
import { validateOptions, validateScript } from './validate';

export { GrpcCode, grpcCodeOf, httpStatusOf } from '../core/grpc-codes';
export { DATASET_ERRORS_HEADER } from './datasets';
export { RUN_STATUS_HEADER } from './runs';
export type { EmulatorOptions, Fault, OperationScript, RecordedRequest, RpcStatus } from './script';
export { DONE_AFTER_HEADER, FAIL_WITH_HEADER } from './scripting';

const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

/**
 * A running emulator. It keeps the process alive until {@link Emulator.close} is called, like a
 * listening `net.Server`.
 *
 * Routes (https://github.com/yc-operation/yc-operation/blob/main/docs/wire.md): `GET /operations/{id}`, `GET|POST /operations/{id}:cancel`; the start calls
 * `POST /foundationModels/v1/completionAsync` (a completion that echoes the last user message),
 * `POST /foundationModels/v1/imageGenerationAsync` (a PNG-signed image of the prompt),
 * `POST /foundationModels/v1/completionBatch` (a batch inference task, whose id its metadata carries
 * from the first answer on, and a result dataset),
 * `POST /v2/web/searchAsync` (an XML or HTML page naming the query), `POST /assistants/v1/searchIndex`
 * and `POST /assistants/v1/searchIndexFile:batchCreate`, whose operations finish after 1 s (or
 * the seconds of an `x-emulator-done-after` request header), or fail with the google.rpc.Status
 * JSON of an `x-emulator-fail-with` header; and assistant runs, `POST /assistants/v1/runs` and
 * `GET /assistants/v1/runs/{id}`, scripted by the same headers and `x-emulator-run-status`.
 * Started with `grpc: true`, it also serves over gRPC, on the same state:
 * `yandex.cloud.operation.OperationService` (`Get`, `Cancel`), `yandex.cloud.endpoint.ApiEndpointService/List`,
 * `yandex.cloud.ai.dataset.v1.DatasetService` (`Validate`, scripted by the same headers and
 * `x-emulator-dataset-errors`; `Describe`), `yandex.cloud.ai.tuning.v1.TuningService` (`Tune`,
 * `Describe`, `Cancel`) and `yandex.cloud.ai.batch_inference.v1.BatchInferenceService` (`Describe`,
 * `Cancel` of the batch completions' tasks). A task lives as its operation does: a Cancel of
 * either cancels both, and {@link Emulator.expire} forgets the operation but not the task. An Any
 * given without `"@type"` travels over gRPC as a `google.protobuf.Struct`, and an Any of a type with
 * no `.proto` in this package must be given as `{ "@type", "value": "<base64>" }`.
 */
export interface Emulator {
  /** The base URL to pass to a client as its endpoint: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /**
   * The gRPC server's URL, to pass as the endpoint of a client with `protocol: 'grpc'`
   * (`http://127.0.0.1:<grpcPort>`: plaintext HTTP/2), or `null` unless started with `grpc: true`.
   */
  readonly grpcUrl: string | null;
  /** Creates an operation that lives as `script` says; resolves with its 20-character id. */
  create(script?: OperationScript): Promise<string>;
  /**
   * Forgets an operation, as Yandex Cloud does some two weeks after it finished: from then on its
   * Get and Cancel answer NOT_FOUND over both protocols (REST 404 with a google.rpc.Status of code
   * 5, gRPC code 5), while its tuning or batch task, if any, stays describable.
   * @throws Error naming the id when the emulator has no such operation (or it has already expired)
   */
  expire(operationId: string): Promise<void>;
  /**
   * Every request received, oldest first, including rejected and faulted ones. Only the latest
   * `requestLogLimit` (default 10 000) are kept.
   */
  requests(): Promise<RecordedRequest[]>;
  /** Empties the request log. */
  clearRequests(): Promise<void>;
  /**
   * Closes the server's idle keep-alive sockets without telling the clients (no
   * `Connection: close`), as a server or a load balancer does when a pooled socket sits idle.
   */
  dropIdleConnections(): Promise<void>;
  /**
   * Closes the listener and every socket, busy or idle, then listens again on the same port (both
   * servers, with gRPC).
   * Operations (and their scripts' progress) are kept; requests in flight are cut off.
   */
  restart(): Promise<void>;
  /** Closes every socket and ends the worker thread. Idempotent. */
  close(): Promise<void>;
  /**
   * {@link Emulator.close}, for `await using emulator = await startEmulator()`: the emulator is
   * closed when the block ends. There is no `Symbol.dispose`: closing ends a worker thread,
   * which cannot be waited for synchronously.
   */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Node 20 defines `Symbol.asyncDispose` as this registered symbol; TypeScript's `lib` may not know it. */
const asyncDispose: typeof Symbol.asyncDispose = (Symbol.asyncDispose ?? Symbol.for('nodejs.asyncDispose')) as typeof Symbol.asyncDispose;

/**
 * Starts an emulator in a worker thread and resolves once it listens. It serves the routes that
 * {@link Emulator} lists, and with `grpc: true` its gRPC services too.
 * @throws TypeError or RangeError when an option is invalid, naming it
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  validateOptions(options);
  const config: WorkerConfig = {
    port: options.port ?? 0,
    grpcPort: options.grpc ? (options.grpcPort ?? 0) : null,
    apiKey: options.apiKey,
    iamToken: options.iamToken,
    requestLogLimit: options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT,
  };
  // A worker inherits the process's flags; `--input-type` (of `node -e`) would refuse its file.
  // Flags are given only when one is dropped: Node checks given flags, and refuses process-only ones.
  const kept = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  const execArgv = kept.length < process.execArgv.length ? kept : undefined;
  const worker = new Worker(new URL('./emulator-worker.js', buildUrl()), { workerData: config, execArgv });
  // The worker's first message says it listens; `once` rejects if it fails first (a port in use, say).
  const [ready] = (await once(worker, 'message')) as [Extract<WorkerMessage, { kind: 'ready' }>];
  return new EmulatorHandle(worker, ready.port, ready.grpcPort);
}

/** An {@link Emulator} that forwards each call to its worker as a command and awaits the reply. */
class EmulatorHandle implements Emulator {
  readonly url: string;
  readonly grpcUrl: string | null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  /** Why commands are refused: the emulator was closed, or its worker died. */
  private stopped: Error | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly worker: Worker,
    port: number,
    grpcPort: number | null,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.grpcUrl = grpcPort === null ? null : `http://127.0.0.1:${grpcPort}`;
    worker.on('message', (message: WorkerMessage) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`The emulator's worker exited with code ${code}`)));
  }

  async create(script: OperationScript = {}): Promise<string> {
    validateScript(script);
    return this.call({ kind: 'create', script });
  }

  expire(operationId: string): Promise<void> {
    return this.call({ kind: 'expire', operationId });
  }

  requests(): Promise<RecordedRequest[]> {
    return this.call({ kind: 'requests' });
  }

  clearRequests(): Promise<void> {
    return this.call({ kind: 'clearRequests' });
  }

  dropIdleConnections(): Promise<void> {
    return this.call({ kind: 'dropIdleConnections' });
  }

  restart(): Promise<void> {
    return this.call({ kind: 'restart' });
  }

  close(): Promise<void> {
    if (this.closing === null) {
      const serverClosed = this.call({ kind: 'close' }).catch(() => undefined);
      this.stopped ??= new Error('The emulator is closed');
      this.closing = serverClosed.then(() => this.worker.terminate()).then(() => undefined);
    }
    return this.closing;
  }

  [asyncDispose](): Promise<void> {
    return this.close();
  }

  private call<K extends CommandKind>(command: Extract<Command, { kind: K }>): Promise<CommandResults[K]> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<CommandResults[K]>((resolve, reject) => {
      this.worker.postMessage({ id, command } satisfies CommandMessage);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private settle(message: WorkerMessage): void {
    if (message.kind !== 'reply') return;
    const call = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(message.error);
  }

  /** The worker died: every command in flight fails, and so does every later one. */
  private fail(reason: Error): void {
    this.stopped ??= reason;
    for (const call of this.pending.values()) call.reject(reason);
    this.pending.clear();
  }
}
