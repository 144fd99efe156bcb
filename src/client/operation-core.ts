/**
 * What the operations of both flavours share: each member's option checks and the machine run it
 * is (`src/core/machine.ts`). The flavour's class only runs the run, with promises or blocking.
 * One {@link OperationMembers} serves every operation of a flavour: an operation holds its
 * machine, and nothing more for this.
 */
import type { OperationMachine, Run } from '../core/machine';
import { checkFunction, checkOptions } from '../core/options';
import { planCall, planWait, type WaitOptions } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';

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
