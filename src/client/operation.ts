/**
 * What a client lends each operation it makes, as an explicit input: the parts an operation is
 * made of carry it (`context`), and the operation's constructor reads it there. Nothing is looked
 * up elsewhere: an operation of a kind of the user's own has no context, and runs with no budget,
 * on the real clock. The members of both flavours' operations are planned once, by
 * `src/core/poll.ts` (`OperationMembers`).
 */

import type { OperationKind } from '../core/kind';
import { type MachineEnv, OperationMachine } from '../core/machine';
import type { RequestPacer } from '../core/pacer';
import type { BaseOperationStatus } from '../core/status';
import type { Logger } from '../core/transport';

/**
 * A client's dependencies, as its operations get them. `Guard` is the flavour's way to stop a
 * closed client's calls. It is the machines' shared {@link MachineEnv} as it is.
 */
export interface OperationContext<Guard> extends MachineEnv {
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
  /**
   * The warnings about options that the client's operations said already (each is said once per
   * client), or `null` when they are silenced ({@link saidWarnings}). Absent: once per operation.
   */
  readonly said?: Set<string> | null;
}

/** The variable that silences the warnings about time options that look like milliseconds: `YC_OPERATION_UNIT_WARNINGS=off` (or `0`, `false`). */
export const UNIT_WARNINGS_VARIABLE = 'YC_OPERATION_UNIT_WARNINGS';

/** A client's record of the warnings said, empty; `null` when `env` silences them. */
export function saidWarnings(env: NodeJS.ProcessEnv = process.env): Set<string> | null {
  const value = env[UNIT_WARNINGS_VARIABLE]?.trim().toLowerCase();
  return value === 'off' || value === '0' || value === 'false' ? null : new Set();
}

/** What the operation classes read of their parts beyond the public ones. */
export interface PartsWithContext<Guard> {
  /** Set by the clients of this package. @internal */
  readonly context?: OperationContext<Guard>;
}

/** The machine of an operation made of `parts`, whose text form `describe` makes, with the context its parts carry. */
export function machineFor<S extends BaseOperationStatus, T>(
  parts: { id: string; kind: OperationKind<S, T>; logger: Logger; initialStatus?: S | null } & PartsWithContext<unknown>,
  describe: (id: string) => string,
): OperationMachine<S, T> {
  const { context } = parts;
  // A client's context is every machine's environment as it is; an operation of its own gets one.
  const env: MachineEnv =
    context !== undefined && context.said !== undefined
      ? context
      : {
          endpoint: context?.endpoint ?? "the operation's own fetcher",
          budget: context?.budget ?? null,
          nowMs: context?.nowMs ?? Date.now,
          random: context?.random ?? Math.random,
          said: saidWarnings(),
        };
  return new OperationMachine<S, T>({
    id: parts.id,
    kind: parts.kind,
    logger: parts.logger,
    initialStatus: parts.initialStatus ?? null,
    describe,
    env,
  });
}

/**
 * How a machine makes the text form of `operation` (`MachineParts.describe`): `shared`, one
 * function for a flavour's operations, while the operation has its flavour's own `toString()`
 * (`flavourToString`), so that the machine keeps neither a text nor the operation; else the
 * operation's own `toString()`, a subclass's, as the reference's messages use its `str()`.
 */
export function textFormOf(operation: object, flavourToString: () => string, shared: (id: string) => string): (id: string) => string {
  return operation.toString === flavourToString ? shared : () => String(operation);
}

/** The key of an operation's internals (its machine, how its requests go), read by `waitAll`/`asCompleted`. */
export const INTERNALS: unique symbol = Symbol('yc-operation.internals');
