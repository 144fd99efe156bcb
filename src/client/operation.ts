/**
 * What the operations of both flavours are made of, written once:
 * - the context a client lends each operation it makes, as an explicit input: the parts an
 *   operation is made of carry it (`context`), and the operation's constructor reads it there.
 *   Nothing is looked up elsewhere: an operation of a kind of the user's own has no context, and
 *   runs with no budget, on the real clock;
 * - each member's option checks and the machine run it is (`src/core/machine.ts`): the flavour's
 *   class only runs the run, with promises or blocking. One {@link OperationMembers} serves every
 *   operation of a flavour: an operation holds its machine, and nothing more for this.
 */
import { OperationMachine, type Run } from '../core/machine';
import type { OperationKind } from '../core/kind';
import { checkFunction, checkOptions } from '../core/options';
import type { RequestPacer } from '../core/pacer';
import { planCall, planWait, type WaitOptions } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';
import type { Logger } from '../core/transport';

/** A client's dependencies, as its operations get them. `Guard` is the flavour's way to stop a closed client's calls. */
export interface OperationContext<Guard> {
  /** The client's request budget, shared by all its calls; `null`: none. */
  readonly budget: RequestPacer | null;
  /** Where the client polls, for errors raised before any request. */
  readonly endpoint: string;
  /** The clock (`Date.now` values). */
  readonly nowMs: () => number;
  /** The jitter's randomness, in [0, 1). */
  readonly random: () => number;
  /** The promise flavour's call scope (`close()` aborts its calls); the blocking flavour's open check. */
  readonly guard: Guard;
}

/** What the operation classes read of their parts beyond the public ones. */
export interface PartsWithContext<Guard> {
  /** Set by the clients of this package. @internal */
  readonly context?: OperationContext<Guard>;
}

/** The machine of an operation made of `parts`, described as `describe`, with the context its parts carry. */
export function machineFor<S extends BaseOperationStatus, T>(
  parts: { id: string; kind: OperationKind<S, T>; logger: Logger; initialStatus?: S | null } & PartsWithContext<unknown>,
  describe: string,
): OperationMachine<S, T> {
  const { context } = parts;
  return new OperationMachine<S, T>({
    id: parts.id,
    kind: parts.kind,
    logger: parts.logger,
    initialStatus: parts.initialStatus ?? null,
    describe,
    endpoint: context?.endpoint ?? "the operation's own fetcher",
    budget: context?.budget ?? null,
    nowMs: context?.nowMs ?? Date.now,
    random: context?.random ?? Math.random,
  });
}

/** The key of an operation's internals (its machine, how its requests go), read by `waitAll`/`asCompleted`. */
export const INTERNALS: unique symbol = Symbol('yc-operation.internals');

/** A member's run, with what the flavour's runner needs beyond it. */
export interface Planned<S, R> {
  run: Run<S, R>;
  /** The caller's signal (promise flavour). */
  signal: AbortSignal | undefined;
  onProgress?: ((status: S) => void) | undefined;
}

type CallOptions = { timeout?: number; signal?: AbortSignal };
type WatchOptions = WaitOptions & { signal?: AbortSignal };
type Machine<S extends BaseOperationStatus, T> = OperationMachine<S, T>;

export class OperationMembers {
  readonly #call: readonly string[];
  readonly #watch: readonly string[];

  /** @param flavourOptions the flavour's own options of every member (`signal` for promises) */
  constructor(flavourOptions: readonly string[]) {
    this.#call = ['timeout', ...flavourOptions];
    this.#watch = ['timeout', 'pollTimeout', 'pollInterval', ...flavourOptions];
  }

  getStatus<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: CallOptions | undefined): Planned<S, S> {
    const { timeout, signal } = checkOptions('getStatus', options, this.#call);
    return { run: machine.getStatus(planCall(timeout)), signal };
  }

  getResult<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: CallOptions | undefined): Planned<S, T> {
    const { timeout, signal } = checkOptions('getResult', options, this.#call);
    return { run: machine.getResult(planCall(timeout)), signal };
  }

  cancel<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: CallOptions | undefined): Planned<S, void> {
    const { timeout, signal } = checkOptions('cancel', options, this.#call);
    return { run: machine.cancel(planCall(timeout)), signal };
  }

  wait<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: (WatchOptions & { onProgress?: (status: S) => void }) | undefined): Planned<S, T> {
    const { onProgress, signal, ...rest } = checkOptions('wait', options, [...this.#watch, 'onProgress']);
    checkFunction('onProgress', onProgress);
    return { run: machine.wait(plan(machine, rest)), signal, onProgress };
  }

  /** `watch()`'s options, checked when `watch()` is called; each iteration starts a run of its own. */
  watch<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: WatchOptions | undefined): { start: () => Run<S, S>; signal: AbortSignal | undefined } {
    const { signal, ...rest } = checkOptions('watch', options, this.#watch);
    const planned = plan(machine, rest);
    return { start: () => machine.watch(planned), signal };
  }
}

/** A wait of `machine`'s operation, with its kind's defaults. */
export function plan<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: WaitOptions) {
  return planWait(options, machine.defaultPollTimeoutS, machine.defaultPollIntervalS);
}

/** The members of the promise flavour's operations (they take a `signal`). */
export const PROMISE_MEMBERS = new OperationMembers(['signal']);
/** The members of the blocking flavour's operations. */
export const BLOCKING_MEMBERS = new OperationMembers([]);
