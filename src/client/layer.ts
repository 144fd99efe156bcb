/**
 * Every member of the two clients, written once over what a flavour supplies ({@link ClientPorts}):
 * how one call is sent (a promise of its answer, or the answer itself, as `src/core/calls.ts`
 * `drive` takes it), how a call runs within the client (its scope, its open check), and how an
 * operation of the flavour is made. The start helpers plan a row of `src/core/producers/`
 * (`./start.ts`); the trackers plan a kind of their own (`./tasks.ts`, `./assistant-run.ts`).
 */

import { decodeRun, refuseCancel } from '../core/assistant-run';
import { trackBatchTask } from '../core/batch-task';
import { type CallRunner, drive, type TrackedKind } from '../core/calls';
import type { OperationKind } from '../core/kind';
import { type ApiOperationKind, kindFromOperationJson, kindFromSavedOperation, type OperationOptions, operationKind } from '../core/kind';
import type { ManyOptions } from '../core/many';
import { checkOperationId } from '../core/options';
import { type BatchCompletionRequest, batchTaskIdOf, type Producer, STARTS, type StartRoute } from '../core/producers';
import type { BaseOperationStatus, OperationStatus } from '../core/status';
import type { CallOptions, Logger } from '../core/transport';
import { type TuningRequest, trackTuning, tuningStatusOf } from '../core/tuning';
import { readAny } from '../runtime/load';
import { planRun, type RunOptions } from './assistant-run';
import { type ClientCall, clientCallOf } from './send';
import { checkStartAnswer, operationOptions, planStart, type StartOptions } from './start';
import { type BatchTaskOptions, planBatchTask, planTuning, serviceEndpoint, type TuningOptions } from './tasks';

/** The parts of an operation of a kind other than the Operation API's: its members answer values (blocking) or promises. */
export interface KindParts<S extends BaseOperationStatus, T> {
  id: string;
  kind: OperationKind<S, T>;
  initialStatus: S | null;
  logger: Logger;
  fetch(bounds: CallOptions): S | Promise<S>;
  cancel(bounds: CallOptions): S | Promise<S>;
}

/** What a flavour supplies to the client layer. */
export interface ClientPorts {
  /** One call through the client's transport, bounded by `bounds`: the answer's JSON (blocking), or a promise of it. */
  send(call: ClientCall, bounds: CallOptions): unknown;
  /**
   * Runs `body` as one call of the client: under its scope, following `bounds.signal`, so that
   * `close()` stops it (promises); after the check that the client is open (blocking).
   */
  within<R>(bounds: CallOptions, body: (bounds: CallOptions) => R): R;
  /** What a member that makes requests gives: a promise of `body()`'s value, its error a rejection (promises); `body()` itself (blocking). */
  answer<R>(body: () => R): unknown;
  /** An Operation API operation of the flavour. */
  operation(id: string, kind: ApiOperationKind<unknown, unknown>, initialStatus: OperationStatus<unknown> | null): unknown;
  /** An operation of the flavour of another kind. */
  other(parts: KindParts<BaseOperationStatus, unknown>): unknown;
  waitAll(ops: readonly unknown[], options: ManyOptions | undefined): unknown;
  asCompleted(ops: readonly unknown[], options: ManyOptions | undefined): unknown;
}

/** The client's settings the layer plans with. */
export interface ClientSettings {
  readonly endpoint: string;
  readonly allowInsecureHttp: boolean;
  /** The client's folder, filled into a start row's folder field when the request has none. */
  readonly folderId: string | null;
  /** The flavour's own options of a start helper (`signal` for promises). */
  readonly startOptions: readonly string[];
  readonly logger: Logger;
  readonly nowMs: () => number;
}

/** `next(value)`, once `value` is there: at once for a value, as a promise for a promise. */
function then<A, B>(value: A | Promise<A>, next: (value: A) => B): B | Promise<B> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** `ops`, when it is an array; a TypeError otherwise. */
function listOf(ops: readonly unknown[]): readonly unknown[] {
  if (!Array.isArray(ops)) throw new TypeError('waitAll/asCompleted take an array of operations');
  return ops;
}

export class ClientLayer {
  constructor(
    readonly ports: ClientPorts,
    readonly settings: ClientSettings,
  ) {}

  operation(id: string, options: OperationOptions | undefined): unknown {
    return this.ports.operation(checkOperationId(id), operationKind(options), null);
  }

  fromOperation(wire: object, options: OperationOptions | undefined): unknown {
    const { id, kind, status } = kindFromOperationJson(wire, options, readAny);
    return this.ports.operation(id, kind, status);
  }

  restore(saved: unknown, options: OperationOptions | undefined): unknown {
    const { id, kind, status } = kindFromSavedOperation(saved, this.settings.endpoint, options);
    return this.ports.operation(id, kind, status);
  }

  /** The start call of a producer row, then its operation (known at once from the answer). */
  start<R, T>(producer: Producer<R, T>, request: R, options: StartOptions | undefined): unknown {
    return this.ports.answer(() =>
      then(this.#startCall(producer, request, options), ({ wire, plan }) => {
        const { id, kind, status } = kindFromOperationJson(wire, operationOptions(producer, plan, this.runCalls));
        return this.ports.operation(id, kind as ApiOperationKind<unknown, unknown>, status);
      }),
    );
  }

  tune(request: TuningRequest, options: StartOptions | undefined): unknown {
    return this.ports.answer(() =>
      then(this.#startCall(STARTS.tune, request, options), ({ wire, plan }) => {
        const initial = tuningStatusOf(wire, wire.id);
        return this.#tracked(
          wire.id,
          trackTuning({ operationId: wire.id, taskId: initial.taskId, expired: false }, plan.endpoint, this.runCalls),
          initial,
        );
      }),
    );
  }

  tuning(operationId: string | null, options: TuningOptions | undefined): unknown {
    const { id, track, endpoint } = planTuning(operationId, options, this.settings.allowInsecureHttp);
    return this.#tracked(id, trackTuning(track, endpoint, this.runCalls));
  }

  completionBatch(request: BatchCompletionRequest, options: (StartOptions & { serviceEndpoint?: string }) | undefined): unknown {
    return this.ports.answer(() =>
      then(this.#startCall(STARTS.completionBatch, request, options), ({ wire, plan }) => {
        const taskId = batchTaskIdOf(wire);
        return this.#tracked(
          taskId,
          trackBatchTask(taskId, serviceEndpoint(plan.options.serviceEndpoint, this.settings.allowInsecureHttp), this.runCalls),
        );
      }),
    );
  }

  batchTask(taskId: string, options: BatchTaskOptions | undefined): unknown {
    const { id, endpoint } = planBatchTask(taskId, options, this.settings.allowInsecureHttp);
    return this.#tracked(id, trackBatchTask(id, endpoint, this.runCalls));
  }

  run(id: string, options: RunOptions | undefined): unknown {
    const { id: runId, url, kind } = planRun(id, options, this.settings.allowInsecureHttp);
    return this.ports.other({
      id: runId,
      kind: kind as OperationKind<BaseOperationStatus, unknown>,
      initialStatus: null,
      logger: this.settings.logger,
      fetch: (bounds) => then(this.ports.send({ op: 'fetch', url }, bounds), (wire) => decodeRun(wire, runId)),
      cancel: () => refuseCancel(runId),
    });
  }

  /** `waitAll` of the flavour: a promise (promises), the results (blocking). */
  waitAll(ops: readonly unknown[], options: ManyOptions | undefined): unknown {
    return this.ports.answer(() => this.ports.waitAll(listOf(ops), options));
  }

  asCompleted(ops: readonly unknown[], options: ManyOptions | undefined): unknown {
    return this.ports.asCompleted(listOf(ops), options);
  }

  /** Runs a kind's calls through this client, within `bounds` (`close()` stops them). */
  readonly runCalls: CallRunner = (calls, bounds) =>
    this.ports.within(bounds, (b) => drive(calls, (c) => this.ports.send(clientCallOf(c), b)));

  /** The start call of a row: the Operation JSON it answers, and its plan. */
  #startCall<R>(route: StartRoute<R>, request: R, options: (StartOptions & { signal?: AbortSignal }) | undefined) {
    const { settings } = this;
    const plan = planStart(route, request, options, {
      allowInsecureHttp: settings.allowInsecureHttp,
      folderId: settings.folderId,
      flavourOptions: settings.startOptions,
    });
    const { target } = plan;
    const call: ClientCall =
      target.kind === 'rest'
        ? { op: 'start', url: target.url, body: target.body }
        : { op: 'service', endpoint: target.endpoint, call: target.call };
    const bounds = { deadlineMs: settings.nowMs() + plan.timeoutMs, timeoutMs: plan.timeoutMs, signal: options?.signal };
    return then(
      this.ports.within(bounds, (b) => this.ports.send(call, b)),
      (wire) => ({ wire: checkStartAnswer(wire) as { id: string }, plan }),
    );
  }

  /** An operation of a kind tracked by calls of its own (a tuning, a batch task). */
  #tracked<S extends BaseOperationStatus, T>(id: string, tracked: TrackedKind<S, T>, initialStatus: S | null = null): unknown {
    return this.ports.other({
      id,
      kind: tracked.kind as OperationKind<BaseOperationStatus, unknown>,
      initialStatus,
      logger: this.settings.logger,
      fetch: (bounds) => this.runCalls(tracked.fetch(), bounds),
      cancel: (bounds) => this.runCalls(tracked.cancel(), bounds),
    });
  }
}
