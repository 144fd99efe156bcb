/**
 * The commands on one operation (`get`, `wait`, `cancel`), written with the blocking API: each
 * call returns when its answer is there. Data goes to stdout (with --json, the status in its
 * wire form); errors are thrown, for `main` to explain and turn into an exit code.
 */
import { backoff, type OperationStatus } from 'yc-operation';
import { ExitCode } from './exit-codes';
import { formatStatus, statusLabel, statusToWire } from './format';
import { Progress } from './progress';
import type { Session } from './session';

/** Options of `get` and `cancel`. */
export interface CallCommandOptions {
  json?: boolean;
  /** One request's bound, retries included, in seconds. */
  timeout?: number;
}

/** Options of `wait`, in seconds. */
export interface WaitCommandOptions extends CallCommandOptions {
  pollInterval?: number;
  pollTimeout?: number;
}

/** `get <id>`: one status request. Exit 0 running or succeeded, 1 failed, 4 done with neither result. */
export function get(id: string, options: CallCommandOptions, session: Session): ExitCode {
  const { client, log } = session;
  log(`GET ${client.endpoint}/operations/${id}`);
  const status = client.operation(id).getStatus({ timeout: options.timeout });
  print(session, id, status, options);
  if (status.isFailed) return ExitCode.operationFailed;
  return status.isRunning || status.isSucceeded ? ExitCode.ok : ExitCode.apiError;
}

/**
 * `wait <id>`: polls until the operation is done, reporting progress on stderr. Polls back off
 * from 0.1 s to 10 s unless --poll-interval fixes the interval.
 */
export function wait(id: string, options: WaitCommandOptions, session: Session): ExitCode {
  const { client, io, log } = session;
  const operation = client.operation(id);
  // The live line would be torn by the --verbose log's lines: plain lines then.
  const progress = new Progress(io, io.stderr.isTTY === true && !session.verbose);
  log(`polling GET ${client.endpoint}/operations/${id}`);
  try {
    operation.wait({
      timeout: options.timeout,
      pollTimeout: options.pollTimeout,
      pollInterval: options.pollInterval ?? backoff(),
      onProgress: (status) => progress.update(status),
    });
  } finally {
    progress.finish();
    // With --json, the last status is the answer, whatever the outcome (the error goes to stderr).
    if (options.json && operation.lastKnownStatus) print(session, id, operation.lastKnownStatus, options);
  }
  if (!options.json) print(session, id, operation.lastKnownStatus!, options, `after ${progress.elapsed()}, ${plural(progress.polls, 'poll')}`);
  return ExitCode.ok;
}

/** `cancel <id>`: one Cancel request (best effort); prints the status the server answers. */
export function cancel(id: string, options: CallCommandOptions, session: Session): ExitCode {
  const { client, log } = session;
  const operation = client.operation(id);
  log(`GET ${client.endpoint}/operations/${id}:cancel`);
  operation.cancel({ timeout: options.timeout });
  const status = operation.lastKnownStatus!;
  const label = statusLabel(status);
  const note = label === 'running' ? 'cancel requested; it may take a while to stop' : label === 'cancelled' ? '' : 'it had finished before the cancel';
  print(session, id, status, options, note);
  return ExitCode.ok;
}

function print(session: Session, id: string, status: OperationStatus, options: CallCommandOptions, note = ''): void {
  session.io.out(options.json ? JSON.stringify(statusToWire(id, status), null, 2) : formatStatus(id, status, note));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
