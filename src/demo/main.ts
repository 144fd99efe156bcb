/**
 * `npm start`: the SDK at work on an embedded emulator of Yandex Cloud's Operation API, with no
 * cloud account. Four operations (progress then success, failure, cancellation, timeout) are
 * waited on twice: all at once with the promise API, then one by one with the blocking API; then
 * one operation of each kind the start helpers make (completion, image, web search, search index,
 * assistant run, dataset validation, tuning, batch completion).
 * Exits with 0 when every outcome is the expected one, else 1.
 */
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { startEmulator } from 'yc-operation/testing';
import { formatSeconds } from '../cli/progress';
import { showProducers } from './producers';
import { Report } from './report';
import { SCENARIOS } from './scenarios';
import { startHeaders } from './time-scale';
import { ASYNC_POLL_INTERVAL, BLOCKING_FIRST_INTERVAL, waitAsync, waitBlocking } from './waits';

/** The credentials the emulator requires and the clients send: checked on every request, secret to no one. */
const DEMO_API_KEY = 'demo-api-key';

const startMs = Date.now();
const report = new Report((line) => console.log(line));
const emulator = await startEmulator({ apiKey: DEMO_API_KEY, grpc: true });
const options = { endpoint: emulator.url, auth: { apiKey: DEMO_API_KEY }, folderId: 'b1gdemo', headers: startHeaders() };
const asyncClient = new AsyncOperationsClient(options);
const blockingClient = new OperationsClient(options);

try {
  report.text(
    'yc-operation demo: waiting on Yandex Cloud operations, with no cloud account',
    `The Operation API is played by an emulator at ${emulator.url} (a real HTTP server on this machine).`,
    '',
    'Four operations:',
    ...SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(16)}${scenario.story}`),
  );

  report.section(`1. Promise API: AsyncOperation.wait() on all four at once (pollInterval: ${ASYNC_POLL_INTERVAL} s)`);
  await Promise.all(SCENARIOS.map((scenario) => waitAsync(scenario, emulator, asyncClient, report)));

  report.section(
    `2. Blocking API: Operation.wait() on each in turn, holding the thread (pollInterval: backoff({ initial: ${BLOCKING_FIRST_INTERVAL} }))`,
  );
  for (const scenario of SCENARIOS) await waitBlocking(scenario, emulator, blockingClient, report);

  report.section('3. Start helpers: the operation kinds of the Python SDK, typed (promise API)');
  await showProducers(asyncClient, emulator, DEMO_API_KEY, (kind, text) => report.text(`  ${kind.padEnd(22)}${text}`));

  report.text('');
  if (report.surprises.length === 0) {
    report.text(`Every outcome as expected, with both APIs, in ${formatSeconds(Date.now() - startMs)}.`);
  } else {
    report.text('Some outcomes were not the expected ones:', ...report.surprises.map((surprise) => `  ${surprise}`));
    process.exitCode = 1;
  }
  report.text("Next: 'npx yc-operation emulator' runs an emulator like this one, to try the CLI by hand (see README).");
} finally {
  asyncClient.close();
  blockingClient.close();
  await emulator.close();
}
