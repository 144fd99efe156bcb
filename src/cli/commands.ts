/**
 * The commands on one operation (`get`, `wait`, `cancel`), written with the promise API: no
 * worker thread, and a wait leaves the event loop free for its progress line and heartbeat.
 * Data goes to stdout (with --output json or yaml, the status in its wire form; nothing with
 * --quiet); errors are thrown, for `main` to explain and turn into an exit code.
 */
import { backoff, type OperationStatus } from 'yc-operation';
import { ExitCode } from './exit-codes';
import { formatStatus, statusLabel, statusToWire } from './format';
import type { OutputFormat } from './output-formats';
import { Progress } from './progress';
import { formatSeconds, heartbeatMs } from './progress-view';
import type { Session } from './session';
import { toYaml } from './yaml';

/** Options of `get` and `cancel`. */
export interface CallCommandOptions {
  /** --output; --json is `json`. @default 'text' */
  output?: OutputFormat;
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
export async function get(id: string, options: CallCommandOptions, session: Session): Promise<ExitCode> {
  const { client, log } = session;
  log(`GET ${client.endpoint}/operations/${id}`);
  const status = await client.operation(id).getStatus({ timeout: options.timeout });
  print(session, id, status, options);
  if (status.isFailed) return ExitCode.operationFailed;
  return status.isRunning || status.isSucceeded ? ExitCode.ok : ExitCode.apiError;
}

/**
 * `wait <id>`: polls until the operation is done, reporting progress on stderr (none with
 * --quiet). Polls back off from 0.1 s to 10 s unless --poll-interval fixes the interval.
 */
export async function wait(id: string, options: WaitCommandOptions, session: Session): Promise<ExitCode> {
  const { client, io, log } = session;
  const operation = client.operation(id);
  const format = outputFormat(options);
  // The live line would be torn by a log's lines: plain lines then.
  const live = io.stderr.isTTY === true && !session.logging;
  const progress = session.quiet ? null : new Progress(io, { id, live, heartbeatMs: heartbeatMs(process.env) });
  log(`polling GET ${client.endpoint}/operations/${id}`);
  const startedAtMs = Date.now();
  let polls = 0;
  try {
    await operation.wait({
      timeout: options.timeout,
      pollTimeout: options.pollTimeout,
      pollInterval: options.pollInterval ?? backoff(),
      onProgress: (status) => {
        polls += 1;
        progress?.update(status);
      },
    });
  } finally {
    progress?.finish();
    // In a wire form, the last status is the answer, whatever the outcome (the error goes to stderr).
    if (format !== 'text' && operation.lastKnownStatus) print(session, id, operation.lastKnownStatus, options);
  }
  if (format === 'text')
    print(session, id, operation.lastKnownStatus!, options, `after ${formatSeconds(Date.now() - startedAtMs)}, ${plural(polls, 'poll')}`);
  return ExitCode.ok;
}

/** `cancel <id>`: one Cancel request (best effort); prints the status the server answers. */
export async function cancel(id: string, options: CallCommandOptions, session: Session): Promise<ExitCode> {
  const { client, log } = session;
  const operation = client.operation(id);
  log(`GET ${client.endpoint}/operations/${id}:cancel`);
  await operation.cancel({ timeout: options.timeout });
  const status = operation.lastKnownStatus!;
  const label = statusLabel(status);
  const note =
    label === 'running'
      ? 'cancel requested; it may take a while to stop'
      : label === 'cancelled'
        ? ''
        : 'it had finished before the cancel';
  print(session, id, status, options, note);
  return ExitCode.ok;
}

function outputFormat(options: CallCommandOptions): OutputFormat {
  return options.json ? 'json' : (options.output ?? 'text');
}

function print(session: Session, id: string, status: OperationStatus, options: CallCommandOptions, note = ''): void {
  if (session.quiet) return;
  const format = outputFormat(options);
  if (format === 'text') session.io.out(formatStatus(id, status, note));
  else session.io.out(format === 'json' ? JSON.stringify(statusToWire(id, status), null, 2) : toYaml(statusToWire(id, status)));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
