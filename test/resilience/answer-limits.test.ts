/**
 * The answer-size limit (`maxResponseBytes`, src/transport/config.ts), against misbehaving servers
 * in a child process (test/fixtures/misbehaving-server.mjs): a body that never ends, a 4 GiB
 * Content-Length, answers over the limit over REST and gRPC. Both flavours; the promise flavour
 * also in a child process of its own, whose exit code and stderr show that nothing escaped.
 */
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient } from 'yc-operation';
import { runNode } from '../helpers/child';
import { FLAVOURS, FLAVOURS_AND_PROTOCOLS } from '../helpers/flavours';
import { DIST_INDEX, errorOf, failOnUnhandledRejections, okValueOf, outcomeOf, QUICK_RETRY } from './harness';
import { type Misbehaving, startMisbehaving } from './misbehaving';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

let server: Misbehaving;
beforeAll(async () => {
  server = await startMisbehaving();
});
afterAll(() => server.close());
failOnUnhandledRejections();

/** The highest RSS this process has had, in bytes (the blocking flavour's worker is a thread of it). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

function expectLimitError(error: Error & Record<string, unknown>, limit: number, httpStatus: number | null): void {
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ grpcCode: 8, httpStatus, attempts: 1 });
  expect(error.message).toContain(`the answer is larger than the client's limit of ${limit} bytes (the maxResponseBytes option)`);
}

describe.each(FLAVOURS_AND_PROTOCOLS)('$label', (flavour) => {
  const endpoint = () => (flavour.protocol === 'grpc' ? server.grpc : server.rest);

  test('an answer over maxResponseBytes fails at once with ApiError 8 naming the limit, and is not retried', async () => {
    const client = flavour.client({ endpoint: endpoint(), auth: null, maxResponseBytes: MIB, retry: QUICK_RETRY });
    const error = errorOf(await outcomeOf(() => client.operation('big-2000000').getStatus({ timeout: 20 })));
    client.close();
    expectLimitError(error, MIB, flavour.protocol === 'rest' ? 200 : null);
    expect(error.endpoint).toMatch(flavour.protocol === 'rest' ? /\/operations\/big-2000000$/ : /OperationService\/Get$/);
  });

  test('a 5 MB answer passes the default limit of 64 MiB (gRPC alone would stop at 4 MiB)', async () => {
    const client = flavour.client({ endpoint: endpoint(), auth: null });
    const status = okValueOf(await outcomeOf(() => client.operation('big-5000000').getStatus({ timeout: 20 })));
    client.close();
    expect(status).toMatchObject({ isRunning: true });
  });

  test('an answer just under the limit is read', async () => {
    const client = flavour.client({ endpoint: endpoint(), auth: null, maxResponseBytes: MIB });
    const status = okValueOf(await outcomeOf(() => client.operation('big-1000000').getStatus({ timeout: 20 })));
    client.close();
    expect(status).toMatchObject({ isRunning: true });
  });

  test('maxResponseBytes takes a whole number from 1 to 256 MiB', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 256 * MIB + 1, '1000']) {
      expect(() => flavour.client({ endpoint: endpoint(), auth: null, maxResponseBytes: bad }).close()).toThrow(
        /maxResponseBytes must be a whole number from 1 to 268435456/,
      );
    }
  });
});

describe.each(FLAVOURS)('$name flavour over REST', (flavour) => {
  test('a 200 body that never ends stops at the default limit: ApiError 8, RSS under 1 GiB, the server sees the client go', async () => {
    const client = flavour.client({ endpoint: server.rest, auth: null });
    const error = errorOf(await outcomeOf(() => client.operation('endless').getStatus({ timeout: 60 })));
    client.close();
    expectLimitError(error, 64 * MIB, 200);
    expect(peakRss()).toBeLessThan(GIB);
    const endless = await server.sent('endless');
    expect(endless?.stopped).toBe('client');
  });

  test('a 4 GiB Content-Length fails at once, before its body is read', async () => {
    const client = flavour.client({ endpoint: server.rest, auth: null });
    const error = errorOf(await outcomeOf(() => client.operation('declared-4gib').getStatus({ timeout: 60 })));
    client.close();
    expectLimitError(error, 64 * MIB, 200);
    const declared = await server.sent('declared-4gib');
    expect(declared?.stopped).toBe('client');
    expect(declared!.bytes).toBeLessThan(64 * MIB);
  });
});

describe("the user's own axios instance (promise flavour)", () => {
  test("an endless body stops at maxResponseBytes, as axios's maxContentLength: the same ApiError 8", async () => {
    const client = new AsyncOperationsClient({ endpoint: server.rest, auth: null, axios: axios.create(), maxResponseBytes: 2 * MIB });
    const error = errorOf(await outcomeOf(() => client.operation('endless').getStatus({ timeout: 60 })));
    client.close();
    expectLimitError(error, 2 * MIB, null); // axios's error carries no answer
  });
});

describe('the promise flavour in a process of its own', () => {
  test('endless, 4 GiB, bomb, corrupt and over-limit answers: each an ApiError, nothing uncaught, exit code 0, nothing on stderr', async () => {
    const source = `
      const { AsyncOperationsClient } = await import(${JSON.stringify(DIST_INDEX)});
      const rest = new AsyncOperationsClient({ endpoint: ${JSON.stringify(server.rest)}, auth: null });
      const grpc = new AsyncOperationsClient({ endpoint: ${JSON.stringify(server.grpc)}, auth: null, protocol: 'grpc', maxResponseBytes: 1048576 });
      const cases = [[rest, 'endless'], [rest, 'declared-4gib'], [rest, 'bomb'], [rest, 'corrupt-gzip'], [grpc, 'big-2000000']];
      const out = [];
      for (const [client, id] of cases) {
        out.push(await client.operation(id).getStatus({ timeout: 60 }).then(() => 'ok', (e) => e.name + ' ' + e.grpcCode));
      }
      rest.close();
      grpc.close();
      console.log(JSON.stringify(out));
    `;
    const child = await runNode(['--input-type=module', '-e', source], {}, 120_000);
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(['ApiError 8', 'ApiError 8', 'ApiError 8', 'ApiError 2', 'ApiError 8']);
  });
});
