/**
 * One request pipeline for both protocols. A logical call (a Get, a Cancel, a start, a service
 * call) is an {@link Exchange}, which does all that a call does whatever its protocol:
 * - one `idempotency-key` and one `x-client-request-id` for all its attempts, and
 *   `x-retry-attempt` on retries (docs/wire.md);
 * - the credentials asked of the provider before each attempt (a provider's own failure is an
 *   authentication error, gRPC 16);
 * - a place in the client's request line (`src/runtime/request-line.ts`);
 * - the resend, at once and as the same attempt, of a request that met a stale connection;
 * - the attempts under the retry policy within the call's deadline (`./retrying.ts`), each traced
 *   (`./tracing.ts`);
 * - the deadline's error, marked (`src/core/deadline.ts`) and naming the last failed attempt;
 * - every server text cut free of the credentials sent before it enters an error;
 * - a Get's or a Cancel's NOT_FOUND as `OperationNotFoundError`.
 * A {@link Protocol} (`./rest.ts`, `./grpc.ts`) only sends one attempt and reads how it went.
 *
 * A poll is one exchange object: no closure, context or trace record is made per call or attempt
 * (a trace only while someone listens).
 */
import { deadlineOf, markDeadline } from '../core/deadline';
import { type AIStudioError, ApiError, asOperationNotFound } from '../core/errors';
import type { RetryPolicy } from '../core/retry';
import { type AuthProvider, type CallOptions, type Logger, noLog } from '../core/transport';
import { callIds } from '../runtime/call-ids';
import { type LineWait, RequestSlots } from '../runtime/request-line';
import { withoutCredentials } from './auth/secret';
import { StaticAuth } from './auth/static';
import { BoundedCall, CallBounds, EXPIRED, RUNNING } from './call-bounds';
import { type AttemptContext, authFailure, deadlineError, type Failure, lineError } from './http-failure';
import { type AttemptOutcome, type RetryRun, retrying } from './retrying';
import type { CallTrace, TraceSource } from './tracing';

/** What an exchange has sent before its first attempt's credentials: nothing to cut out of a text. */
const NO_CREDENTIALS: Readonly<Record<string, string>> = Object.freeze({});

/** What a call is, for its traces and its errors: `get`, `cancel`, `start`, `fetch` or `service`. */
export type CallKind = CallTrace['call'];

/** What a protocol does in the pipeline: send one attempt, and read how it went. */
export interface Protocol<R, A> {
  readonly name: CallTrace['protocol'];
  /** What errors and traces name as the call's target: its URL, or the service's URL and method. */
  target(request: R): string;
  /** The call in the debug log: `GET https://...`, `gRPC /package.Service/Method id`. */
  describe(request: R): string;
  /**
   * Readies an attempt before it takes its place in the request line (gRPC: the channel, after
   * the discovery of its address): `null` when ready at once, else a promise of a failure to
   * retry as the attempt's, or of `null` once ready.
   */
  prepare(exchange: Exchange<R>): Promise<Failure | null> | null;
  /**
   * Sends attempt `exchange.attempts` with `credentials` and the call's ids
   * ({@link Exchange.stamp}); `fresh`: the resend on a fresh connection of one that was stale.
   */
  send(exchange: Exchange<R>, credentials: Record<string, string>, fresh: boolean): Promise<A>;
  /** Why `error` means the connection was stale (the request never reached the server, and goes again at once); `null` otherwise. */
  stale(error: unknown, exchange: Exchange<R>): string | null;
  /** An answer as the attempt's outcome; throws an `ApiError` for an answer no retry mends (it does not decode). */
  read(answer: A, exchange: Exchange<R>): AttemptOutcome<unknown>;
  /** A send that failed, as a failure to retry or raise; throws `exchange.expired()` for a failure its deadline made. */
  failure(error: unknown, exchange: Exchange<R>): Failure;
}

/** What the pipeline of one transport is made with. */
export interface PipelineOptions {
  /** The transport's base URL (a closed transport's error names it). */
  endpoint: string;
  auth: AuthProvider;
  retry: RetryPolicy;
  logger: Logger;
}

/** The calls of one transport: its request line and the bounds that `close()` fails. */
export class Pipeline<R, A> {
  readonly slots = new RequestSlots();
  readonly bounds: CallBounds;

  constructor(
    readonly protocol: Protocol<R, A>,
    readonly options: PipelineOptions,
  ) {
    this.bounds = new CallBounds(options.endpoint);
  }

  /**
   * One logical call of `request`: its answer's value. `operationId`: the operation it is about
   * (the subject of a Get or a Cancel, whose NOT_FOUND is then an `OperationNotFoundError`).
   */
  call(request: R, kind: CallKind, operationId: string | null, options: CallOptions): Promise<unknown> {
    return retrying(new Exchange(this, request, kind, operationId, options));
  }

  /** Fails the calls in flight and every later one; the error they fail with. */
  close(): AIStudioError {
    return this.bounds.close();
  }
}

/**
 * One logical call through a {@link Pipeline}: its bounds, ids, attempts and what is known of them.
 * The retry driver (`./retrying.ts`) runs it: `retrying(exchange)` is the call's promise.
 */
export class Exchange<R> extends BoundedCall implements AttemptContext, RetryRun<unknown>, TraceSource {
  readonly request: R;
  readonly idempotencyKey: string;
  /** One per logical call, as the reference sends it: its retries reuse it. */
  readonly clientRequestId: string;
  /** The number of the attempt in flight, or of the last one. */
  attempts = 0;
  authProvider: string | null;
  readonly policy: RetryPolicy;
  readonly #pipeline: Pipeline<R, unknown>;
  readonly #kind: CallKind;
  readonly #operationId: string | null;
  /** The bound as its caller set it, for messages (a blocking call reaches the worker a little later). */
  readonly #timeoutMs: number;
  /** What errors name as the target, once asked for or set. */
  #endpoint: string | null = null;
  #sent: Readonly<Record<string, string>> = NO_CREDENTIALS;
  #lastFailure: Failure | null = null;
  #lineWait: LineWait | null = null;

  constructor(
    pipeline: Pipeline<R, unknown>,
    request: R,
    kind: CallKind,
    operationId: string | null,
    { deadlineMs, timeoutMs, signal }: CallOptions,
  ) {
    super(pipeline.bounds, deadlineMs, signal);
    this.#pipeline = pipeline;
    this.request = request;
    this.#kind = kind;
    this.#operationId = operationId;
    this.#timeoutMs = timeoutMs ?? this.startTimeoutMs;
    const ids = callIds();
    this.idempotencyKey = ids.idempotencyKey;
    this.clientRequestId = ids.clientRequestId;
    this.authProvider = pipeline.options.auth.name;
    this.policy = pipeline.options.retry;
  }

  /** What errors name as the target (the protocol's, made at the first ask); a protocol may set it once it knows more (a discovered address). */
  get endpoint(): string {
    return (this.#endpoint ??= this.#pipeline.protocol.target(this.request));
  }

  set endpoint(endpoint: string) {
    this.#endpoint = endpoint;
  }

  /** Cuts the credentials sent out of a text the server (or a proxy) sent back. */
  redact(text: string): string {
    return withoutCredentials(text, this.#sent);
  }

  /** Sets the call's ids on an attempt's headers (or gRPC metadata). */
  stamp(headers: Record<string, string>): void {
    headers['x-client-request-id'] = this.clientRequestId;
    headers['idempotency-key'] = this.idempotencyKey;
    if (this.attempts > 1) headers['x-retry-attempt'] = String(this.attempts - 1);
  }

  /**
   * The error of the call's deadline, marked with it: the line's, when the request waited in line
   * until then and was never sent; else "no answer", with `failed`'s error (the last failed
   * attempt, when one failed) as its cause, named in its message.
   */
  expired(failed: Failure | null = this.#lastFailure): ApiError {
    const error = this.#lineWait ? lineError(this.#lineWait, this, this.#timeoutMs) : deadlineError(this.#timeoutMs, this, failed?.error);
    return markDeadline(error, this.deadlineMs);
  }

  /**
   * What the call rejects with, once its attempts ended with `error`: the caller's
   * `signal.reason`, the close's error, the deadline's, or else `error`; a Get's or a Cancel's
   * NOT_FOUND as `OperationNotFoundError`.
   */
  thrown(error: unknown): unknown {
    const stopped = this.stoppedBy();
    let thrown = stopped;
    if (stopped === RUNNING) thrown = error;
    // The deadline's error as the driver made it (a failure that came back too late), or made now.
    else if (stopped === EXPIRED) thrown = deadlineOf(error) === this.deadlineMs ? error : this.expired();
    return this.#operationId !== null && (this.#kind === 'get' || this.#kind === 'cancel')
      ? asOperationNotFound(thrown, this.#operationId)
      : thrown;
  }

  /**
   * Attempt `n`: credentials, the protocol's readiness, a place in line, the send (again on a
   * stale connection), the answer read. Only what must wait is awaited: a static provider's
   * credentials and a free line's place are taken at once.
   */
  async attempt(n: number): Promise<AttemptOutcome<unknown>> {
    const { protocol, options, slots } = this.#pipeline;
    const auth = options.auth;
    let credentials: Readonly<Record<string, string>>;
    try {
      // A static provider reads its signal only to reject once it has aborted (./auth/static.ts):
      // that is checked here, and no signal is made for it.
      if (auth instanceof StaticAuth) {
        this.abort.throwIfAborted();
        credentials = auth.headersNow();
      } else credentials = await auth.getHeaders(this.signal);
    } catch (error) {
      throw this.abort.aborted || error instanceof ApiError ? error : authFailure(error, this);
    }
    this.#sent = credentials;
    this.attempts = n;
    // The provider's name is read now: a chain names what it found only once it has looked.
    this.authProvider = auth.name;
    if (options.logger.debug !== noLog) options.logger.debug(`${protocol.describe(this.request)} (attempt ${n})`);
    const preparing = protocol.prepare(this);
    if (preparing !== null) {
      const failure = await preparing;
      if (failure !== null) return { ok: false, failure };
    }
    this.abort.throwIfAborted();
    const slot = slots.take() ?? (await slots.acquire(this.deadlineMs, this.abort, (wait) => (this.#lineWait = wait), this.#timeoutMs));
    let answer: unknown;
    try {
      try {
        answer = await protocol.send(this, credentials, false);
      } catch (error) {
        const stale = this.abort.aborted ? null : protocol.stale(error, this);
        if (stale === null) throw error;
        options.logger.debug(`${protocol.describe(this.request)}: ${stale}, sending again on a fresh one`);
        answer = await protocol.send(this, credentials, true);
      }
    } catch (error) {
      if (this.abort.aborted || error instanceof ApiError) throw error;
      return { ok: false, failure: protocol.failure(error, this) };
    } finally {
      slot.release();
    }
    return protocol.read(answer, this);
  }

  /** Where the retry driver stops its sleeps. */
  get stop(): BoundedCall['abort'] {
    return this.abort;
  }

  nowMs(): number {
    return Date.now();
  }

  random(): number {
    return Math.random();
  }

  onRetry(n: number, delayMs: number, failure: Failure): void {
    this.#lastFailure = failure;
    const what = this.#pipeline.protocol.describe(this.request);
    this.#pipeline.options.logger.debug(
      `${what}: attempt ${n} failed (${failure.error.rawMessage}), retrying in ${Math.round(delayMs)} ms`,
    );
  }

  deadlineError(last: Failure): Error {
    return this.expired(last);
  }

  get trace(): TraceSource {
    return this;
  }

  traceOf(): CallTrace {
    const protocol = this.#pipeline.protocol.name;
    return { call: this.#kind, operationId: this.#operationId, protocol, target: this.endpoint, clientRequestId: this.clientRequestId };
  }
}
