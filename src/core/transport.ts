/**
 * The contracts between the core and the edges: how an operation is fetched, how requests are
 * authenticated, where logs go. The core and the drivers know only these interfaces; the REST
 * transport over axios and the credential providers implement them.
 */

/** One logical call's bounds. */
export interface CallOptions {
  /**
   * The deadline of the whole call, all its retries included: a `Date.now()` value. When it passes
   * first, the call rejects with an error marked with this value.
   */
  deadlineMs: number;
  /** The call's bound as its caller set it, in milliseconds, as error messages name it. @default the time left to `deadlineMs` */
  timeoutMs?: number;
  /** Stops the call: the in-flight request is aborted and the call rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** The Operation API (Get and Cancel, each answering the wire JSON of an Operation), the start calls, and plain GETs. */
export interface OperationTransport {
  /** The base URL the calls go to (no credentials in it). */
  readonly endpoint: string;
  /** `GET /operations/{id}`: the operation's wire JSON. Rejects with an `ApiError`. */
  getOperation(id: string, options: CallOptions): Promise<unknown>;
  /** `GET /operations/{id}:cancel`: the operation's wire JSON after the cancel. */
  cancelOperation(id: string, options: CallOptions): Promise<unknown>;
  /** `POST url` with a JSON body: a call that starts an operation, answering its wire JSON. */
  startOperation(url: string, body: unknown, options: CallOptions): Promise<unknown>;
  /** `GET url` (an absolute URL): the JSON of a resource tracked by a call of its own (an assistant run, say). */
  getJson(url: string, options: CallOptions): Promise<unknown>;
  /** Frees the transport's sockets. */
  close(): void;
}

/**
 * One unary gRPC call of a service that has no REST route (`DatasetService`, `TuningService`,
 * `BatchInferenceService`), its messages as proto3 JSON (the REST gateway's form).
 */
export interface ServiceCall {
  /** The method's path: `/yandex.cloud.ai.tuning.v1.TuningService/Describe`. */
  readonly method: string;
  /** The full name of the request message: `yandex.cloud.ai.tuning.v1.DescribeTuningRequest`. */
  readonly requestType: string;
  /** The full name of the response message (`yandex.cloud.operation.Operation` for a start call). */
  readonly responseType: string;
  /** The request, as proto3 JSON. */
  readonly request: Readonly<Record<string, unknown>>;
  /** The operation or task the call is about (for logs and traces), `null` for a start call. */
  readonly subject: string | null;
}

/** The services with no REST route, called over gRPC whatever the client's protocol. */
export interface ServiceTransport {
  /** `call` on the service at `endpoint` (a checked base URL): the response's proto3 JSON. Rejects with an `ApiError`. */
  callService(endpoint: string, call: ServiceCall, options: CallOptions): Promise<unknown>;
}

/** What a client's requests go through: the Operation API and the REST calls, and the gRPC-only services. */
export type ClientTransport = OperationTransport & ServiceTransport;

/**
 * Gives the headers that authenticate a request. A provider keeps its secret to itself: its
 * `name` says what kind of credential it is (`api-key`, `iam-token`, ...) and never the secret.
 */
export interface AuthProvider {
  readonly name: string;
  getHeaders(signal?: AbortSignal): Promise<Record<string, string>>;
}

/** A console-like logger. The package logs nothing unless one is given. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/**
 * The method of a logger that logs nothing at that level (the silent default's, and the
 * environment logger's below its threshold): a caller that finds it skips building the message.
 */
export function noLog(): void {}

/** The logger that logs nothing. */
export const SILENT_LOGGER: Logger = Object.freeze({ debug: noLog, info: noLog, warn: noLog, error: noLog });
