/**
 * The operation machine: one operation's state (its last known status and when that arrived) and
 * every member of an operation (`getStatus`, `getResult`, `cancel`, `watch`, `wait`) as a generator
 * of effects. It decides; a runner acts (`src/async/run.ts` with promises, `src/sync/base-operation.ts`
 * blocking) and feeds each effect's outcome back:
 * - `request`: one Get or Cancel bounded by `deadlineMs` (a `nowMs()` value; `timeoutMs` is the
 *   call's bound as set, for messages); resume with a
 *   {@link RequestAnswer}, or throw the request's error in;
 * - `sleep`: wait until `untilMs` (a `nowMs()` value); resume with nothing;
 * - `progress`: hand the status to the caller (`onProgress`, a `watch()` consumer); resume with nothing;
 * - `settle`: a value that may be a promise (an async result decoder); resume with its value.
 *
 * Deadlines are absolute and owned: a call's comes from its `timeout`, a wait's from its
 * `pollTimeout`; an error is the wait's timeout only when it carries the wait's own deadline
 * (`src/core/deadline.ts`). The request budget is spent here, as sleeps before requests.
 */
import { deadlineOf } from './deadline';
import { ApiError } from './errors';
import type { OperationKind } from './kind';
import { DEFAULT_POLL_INTERVAL_S } from './options';
import type { RequestPacer } from './pacer';
import type { WaitPlan } from './poll';
import { resultError } from './result';
import { type BaseOperationStatus, sameStatus } from './status';
import { type Logger, noLog } from './transport';
import { overdue, type PollOutcome, pollDeadlineMs, startWait, stepWait, type WaitRules, type WaitState, waitTimeout } from './wait-state';

export type Effect<S> =
  /**
   * A request bounded by `deadlineMs` (and its call's `timeoutMs`). `latestMs`: until when it may
   * wait for its place in a client's line (`src/async/run.ts`), as for a budget's slot: a wait's
   * poll until the wait's deadline, its bounds then counted from when it goes; a call of its own
   * until its deadline.
   */
  | { type: 'request'; call: 'get' | 'cancel'; deadlineMs: number; timeoutMs: number; latestMs: number }
  | { type: 'sleep'; untilMs: number }
  | { type: 'progress'; status: S }
  | { type: 'settle'; value: unknown };

type RequestEffect = Extract<Effect<unknown>, { type: 'request' }>;

/** What a `request` effect resumes with: the status, and when it arrived (a `nowMs()` value). */
export interface RequestAnswer<S> {
  status: S;
  receivedAtMs: number;
}

/** A member of the machine, run by a runner; `R` is what the member returns. */
export type Run<S, R> = Generator<Effect<S>, R, unknown>;

/**
 * What a machine shares with the other operations of its client: one object for all of them
 * (the client's operation context), so that an operation's machine holds a reference, not a copy.
 */
export interface MachineEnv {
  /** Where the operations are polled, for errors raised before any request. */
  readonly endpoint: string;
  /** The request budget of the client, shared by all its calls; `null`: none. */
  readonly budget: RequestPacer | null;
  readonly nowMs: () => number;
  readonly random: () => number;
  /**
   * The warnings about the caller's options said so far (each is said once, at `warn`, for
   * whoever shares the set), or `null`: none are said. Absent: none.
   */
  readonly said?: Set<string> | null;
}

/** What a machine is made of. */
export interface MachineParts<S extends BaseOperationStatus, T> {
  id: string;
  kind: OperationKind<S, T>;
  logger: Logger;
  /** The status already known (from the call that started the operation), if any. */
  initialStatus: S | null;
  /**
   * Makes the operation's text form from its id (`AsyncOperation<id="...">`, which starts the
   * reference's messages), when a message needs it: no machine keeps the text
   * (`src/client/operation.ts`'s `textFormOf`).
   */
  describe: (id: string) => string;
  env: MachineEnv;
}

export class OperationMachine<S extends BaseOperationStatus, T> {
  readonly id: string;
  // The parts' fields, each kept on its own: the parts object itself is not kept.
  readonly #kind: OperationKind<S, T>;
  readonly #logger: Logger;
  readonly #describe: (id: string) => string;
  readonly #env: MachineEnv;
  #lastKnownStatus: S | null;
  #receivedAtMs = Number.NEGATIVE_INFINITY;

  constructor(parts: MachineParts<S, T>) {
    this.id = parts.id;
    this.#kind = parts.kind;
    this.#logger = parts.logger;
    this.#describe = parts.describe;
    this.#env = parts.env;
    this.#lastKnownStatus = parts.initialStatus;
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#lastKnownStatus;
  }

  /** Says a warning about the caller's options at `warn`, once for all who share `MachineEnv.said`. */
  notice(message: string): void {
    const said = this.#env.said;
    if (said == null || said.has(message)) return;
    said.add(message);
    this.#logger.warn(message);
  }

  /** The operation kind's default poll timeout, in seconds. */
  get defaultPollTimeoutS(): number {
    return this.#kind.defaultPollTimeoutS;
  }

  /** The operation kind's default poll interval, in seconds (10 when the kind sets none). */
  get defaultPollIntervalS(): number {
    return this.#kind.defaultPollIntervalS ?? DEFAULT_POLL_INTERVAL_S;
  }

  /** One status request; the answer becomes the last known status. */
  *getStatus(timeoutMs: number): Run<S, S> {
    return yield* this.#call('get', this.#env.nowMs() + timeoutMs, timeoutMs);
  }

  /** Asks the server to cancel; its answer becomes the last known status. */
  *cancel(timeoutMs: number): Run<S, void> {
    yield* this.#call('cancel', this.#env.nowMs() + timeoutMs, timeoutMs);
  }

  /**
   * The result of the last known status (fetched once if there is none; a running status is not
   * fetched again): the kind's result, or its RunError, or WrongAsyncOperationStatusError.
   */
  *getResult(timeoutMs: number): Run<S, T> {
    const status = this.#lastKnownStatus ?? (yield* this.#call('get', this.#env.nowMs() + timeoutMs, timeoutMs));
    const error = resultError(status, this.#describe(this.id), (failed) => this.#kind.runError(this.id, failed));
    if (error) throw error;
    return (yield { type: 'settle', value: this.#kind.result(status, { timeout: timeoutMs / 1000 }) }) as T;
  }

  /** Polls until the operation is not running, then gives its result, as the reference's `wait`. */
  wait(plan: WaitPlan, pacer: RequestPacer | null = null): Run<S, T> {
    // One generator for the loop and the result: a sleeping wait holds one frame, not two.
    return this.#poll(this.#rulesOf(plan), pacer, true) as Run<S, T>;
  }

  /**
   * The reference's wait loop: poll at once, then sleep and poll while running, within
   * `pollTimeout`; each status goes out as a `progress` effect. Returns the first status that is
   * not running. `pacer` is a budget of this wait's own (`waitAll`'s), spent with the client's.
   * The rules are `src/core/wait-state.ts`'s (the durable queue steps the same ones); this loop
   * performs them as effects.
   */
  watch(plan: WaitPlan, pacer: RequestPacer | null = null): Run<S, S> {
    return this.#poll(this.#rulesOf(plan), pacer, false) as Run<S, S>;
  }

  /** A wait's rules: every field written out (a spread of the plan would give each wait an object shape of its own). */
  #rulesOf(plan: WaitPlan): WaitRules {
    const { requestTimeoutMs, pollTimeoutS, interval } = plan;
    return { requestTimeoutMs, pollTimeoutS, interval, operationId: this.id, retry: null };
  }

  /**
   * {@link watch}'s loop; with `thenResult`, it goes on as `getResult` once the operation is done
   * ({@link wait}). A sleeping wait is this generator's frame: its locals are kept few, the steps
   * around the poll are plain methods.
   */
  *#poll(rules: WaitRules, pacer: RequestPacer | null, thenResult: boolean): Run<S, S | T> {
    let state = startWait(rules, this.#env.nowMs(), this.#lastKnownStatus);
    this.#logger.info(`Polling operation ${this.id}: ${rules.interval}, poll timeout ${rules.pollTimeoutS} s`);
    for (;;) {
      let outcome: PollOutcome<S>;
      try {
        // One poll: none past the deadline; the budget may take until the deadline; the request
        // is bounded by its timeout and the deadline.
        const late = overdue(state, rules, this.#env.nowMs());
        if (late !== null) throw late;
        if (this.#env.budget !== null || pacer !== null) yield* this.#pollBudget(state, rules, pacer);
        // The effect is made in the `yield` itself: no local of the loop keeps it through the sleep.
        outcome = this.#polled((yield this.#pollRequest(state, rules)) as RequestAnswer<S>);
      } catch (error) {
        outcome = { error, deadlineMs: deadlineOf(error) };
      }
      if ('status' in outcome) yield { type: 'progress', status: outcome.status };
      const step = this.#stepAfter(state, rules, outcome);
      state = step.state;
      if (step.decision.type === 'poll') yield { type: 'sleep', untilMs: step.decision.atMs };
      else if (step.decision.type === 'fail') throw step.decision.error;
      else return thenResult ? yield* this.getResult(rules.requestTimeoutMs) : step.decision.status;
    }
  }

  /** A poll's answer as its outcome: the status becomes the last known one. */
  #polled(answer: RequestAnswer<S>): PollOutcome<S> {
    return { status: this.#answered(answer), receivedAtMs: this.#receivedAtMs };
  }

  /** The wait's step after a poll's `outcome` (`stepWait`), with its log lines. */
  #stepAfter(state: WaitState<S>, rules: WaitRules, outcome: PollOutcome<S>): ReturnType<typeof stepWait<S>> {
    const logger = this.#logger;
    const polledStatus = 'status' in outcome ? outcome.status : null;
    const running = polledStatus?.isRunning === true;
    const step = stepWait(state, rules, outcome, this.#env.nowMs(), running ? this.#env.random() : 0);
    if (running && logger.debug !== noLog)
      logger.debug(`Operation ${this.id} is still running (poll ${step.state.polls}): ${polledStatus}`);
    if (step.decision.type === 'done') {
      const { status } = step.decision;
      if (status.isSucceeded) logger.info(`Operation ${this.id} succeeded`);
      else if (status.isFailed) logger.warn(`Operation ${this.id} failed: ${status}`);
      else logger.warn(`Operation ${this.id} is done with neither a result nor an error`);
    }
    return step;
  }

  /** The request of a wait's poll sent now: bounded by its timeout and the deadline; it may wait in a line until the deadline. */
  #pollRequest(state: WaitState<S>, rules: WaitRules): RequestEffect {
    const deadlineMs = pollDeadlineMs(state, rules, this.#env.nowMs());
    return { type: 'request', call: 'get', deadlineMs, timeoutMs: rules.requestTimeoutMs, latestMs: state.deadlineMs };
  }

  /**
   * The budget before a wait's poll: returns once the request may go; when no slot comes before
   * the wait's deadline, sleeps to it and throws the wait's timeout (nothing is sent).
   */
  *#pollBudget(state: WaitState<S>, rules: WaitRules, pacer: RequestPacer | null): Run<S, void> {
    const starvedBy = yield* this.#spendBudget(state.deadlineMs, pacer);
    if (starvedBy === null) return;
    yield { type: 'sleep', untilMs: state.deadlineMs };
    throw waitTimeout(rules, state, this.#budgetError(starvedBy, rules.pollTimeoutS * 1000, 'poll timeout'));
  }

  /** One call of its own (`getStatus`, `cancel`, `getResult`'s fetch): budget and request within one deadline. */
  *#call(call: 'get' | 'cancel', deadlineMs: number, timeoutMs: number): Run<S, S> {
    // No budget to spend: no generator made for it.
    const starvedBy = this.#env.budget === null ? null : yield* this.#spendBudget(deadlineMs, null);
    if (starvedBy !== null) throw this.#budgetError(starvedBy, timeoutMs, 'timeout');
    return yield* this.#request(call, deadlineMs, timeoutMs);
  }

  *#request(call: 'get' | 'cancel', deadlineMs: number, timeoutMs: number): Run<S, S> {
    return this.#answered((yield { type: 'request', call, deadlineMs, timeoutMs, latestMs: deadlineMs }) as RequestAnswer<S>);
  }

  /**
   * An answer becomes the last known status: the last one itself when the answer says the same
   * ({@link sameStatus}), so that a wait on a status that does not change keeps one status object
   * rather than leaving a new one a poll for the collector.
   */
  #answered(answer: RequestAnswer<S>): S {
    const last = this.#lastKnownStatus;
    const status = last !== null && sameStatus(last, answer.status) ? last : answer.status;
    this.#lastKnownStatus = status;
    this.#receivedAtMs = answer.receivedAtMs;
    return status;
  }

  /**
   * Waits for a slot of the client's budget and of `pacer`, each before `deadlineMs`. Returns
   * `null` when the request may go, or the budget that has no slot in time (nothing is sent then).
   */
  *#spendBudget(deadlineMs: number, pacer: RequestPacer | null): Run<S, RequestPacer | null> {
    for (const budget of [this.#env.budget, pacer]) {
      if (budget === null) continue;
      for (;;) {
        const nowMs = this.#env.nowMs();
        const atMs = budget.reserveBefore(nowMs, deadlineMs);
        if (atMs === null) return budget;
        if (atMs <= nowMs) break;
        yield { type: 'sleep', untilMs: atMs };
        // Woken past its slot's interval (the blocking runner was busy with another request): the
        // slot is gone, and spending it now would send in a burst with the others that passed meanwhile.
        // Take the next free slot instead.
        if (this.#env.nowMs() < atMs + budget.spacingMs) break;
      }
    }
    return null;
  }

  #budgetError(budget: RequestPacer, boundMs: number, bound: string): ApiError {
    return new ApiError({
      grpcCode: 8,
      httpStatus: null,
      message: `no request was sent: the request budget of ${budget.ratePerSecond} per second has no free slot within the ${bound} of ${boundMs / 1000} s`,
      details: [],
      requestId: null,
      serverTraceId: null,
      clientRequestId: null,
      endpoint: this.#env.endpoint,
      attempts: 0,
      authProvider: null,
    });
  }
}
