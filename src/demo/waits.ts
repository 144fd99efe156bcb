/**
 * How the demo waits on a scenario's operation, in each flavour. Both use the same `onProgress`
 * ({@link follow}): it reports each new progress step, and cancels the operation once the
 * scenario's `cancelAfter` has passed. Only the calling convention differs.
 */
import { type AsyncOperationsClient, backoff, type OperationStatus, type OperationsClient } from 'yc-operation';
import type { Emulator } from 'yc-operation/testing';
import type { Outcome, Report } from './report';
import { OPERATION_OPTIONS, type Scenario, type TuningProgress } from './scenarios';
import { scaled } from './time-scale';

/** The promise flavour polls at a fixed interval, in seconds. */
export const ASYNC_POLL_INTERVAL = scaled(0.25);

/** The blocking flavour's first poll interval, growing by backoff()'s default factor. */
export const BLOCKING_FIRST_INTERVAL = scaled(0.1);

interface Follower {
  onProgress(status: OperationStatus<TuningProgress>): void;
  readonly polls: number;
}

/** The `onProgress` of a scenario's wait; `cancel` sends the cancel request. */
function follow(scenario: Scenario, report: Report, cancel: () => void): Follower {
  const startMs = Date.now();
  let shown = '';
  let cancelSent = false;
  const follower = {
    polls: 0,
    onProgress(status: OperationStatus<TuningProgress>) {
      follower.polls += 1;
      const progress = status.isRunning && status.metadata ? `${status.metadata.stage} ${status.metadata.percent}%` : '';
      if (progress && progress !== shown) report.line(scenario, `running: ${progress}`);
      shown = progress;
      if (scenario.cancelAfter !== undefined && !cancelSent && Date.now() - startMs >= scenario.cancelAfter * 1000) {
        cancelSent = true;
        report.line(scenario, 'still running: the demo calls cancel()');
        cancel();
      }
    },
  };
  return follower;
}

/** Creates the scenario's operation and waits on it with `AsyncOperation.wait()`; reports the outcome. */
export async function waitAsync(scenario: Scenario, emulator: Emulator, client: AsyncOperationsClient, report: Report): Promise<void> {
  const operation = client.operation(await emulator.create(scenario.script), OPERATION_OPTIONS);
  let cancelling: Promise<void> = Promise.resolve();
  const follower = follow(scenario, report, () => (cancelling = operation.cancel()));
  let outcome: Outcome;
  try {
    outcome = {
      result: await operation.wait({
        pollInterval: ASYNC_POLL_INTERVAL,
        pollTimeout: scenario.pollTimeout,
        onProgress: follower.onProgress,
      }),
    };
  } catch (error) {
    outcome = { error };
  }
  await cancelling;
  report.outcome(scenario, outcome, follower.polls);
}

/**
 * Creates the scenario's operation and waits on it with the blocking `Operation.wait()`, which
 * holds the thread until the operation is done (`onProgress` runs on this thread, between polls).
 */
export async function waitBlocking(scenario: Scenario, emulator: Emulator, client: OperationsClient, report: Report): Promise<void> {
  const operation = client.operation(await emulator.create(scenario.script), OPERATION_OPTIONS);
  const follower = follow(scenario, report, () => operation.cancel());
  let outcome: Outcome;
  try {
    outcome = {
      result: operation.wait({
        pollInterval: backoff({ initial: BLOCKING_FIRST_INTERVAL }),
        pollTimeout: scenario.pollTimeout,
        onProgress: follower.onProgress,
      }),
    };
  } catch (error) {
    outcome = { error };
  }
  report.outcome(scenario, outcome, follower.polls);
}
