/**
 * What the request pipeline (src/transport/pipeline.ts) does alike for both protocols, through
 * both flavours: a call or a wait that runs out of time after failed attempts says what the last
 * attempt met, and carries it as its cause (issue 21). A refused connection over REST; over gRPC
 * (where `wait_for_ready` waits for a connection instead of failing) answers of UNAVAILABLE.
 */
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient, OperationTimeoutError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS, FLAVOURS_AND_PROTOCOLS } from './helpers/flavours';

/** Retries slower than the timeouts below: the time runs out while the call sleeps before its next attempt. */
const SLOW_RETRY = { initialBackoff: 0.4, maxBackoff: 0.4, jitter: 0, maxAttempts: 100 };

let emu: Emulator;
let refused: string;
beforeAll(async () => {
  emu = await startEmulator({ grpc: true });
  // A loopback port that was free a moment ago: connections to it are refused.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  refused = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(() => emu.close());

describe.each(FLAVOURS)('$label, no server at the endpoint', (flavour) => {
  test("a call's timeout names the refused connection and carries it as its cause", async () => {
    const client = flavour.client({ endpoint: refused, auth: null, retry: SLOW_RETRY });
    const error = await client
      .operation('some-id')
      .getStatus({ timeout: 1 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 4, httpStatus: null });
    const address = refused.slice('http://'.length);
    expect((error as ApiError).rawMessage).toBe(
      `no answer within the call's timeout of 1 s; the last attempt failed: network error: ECONNREFUSED (connect ECONNREFUSED ${address})`,
    );
    const cause = (error as Error).cause as ApiError;
    expect(cause).toBeInstanceOf(ApiError);
    expect(cause).toMatchObject({ grpcCode: 14, httpStatus: null });
    expect((cause.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  test("a wait's poll timeout names the last failed attempt; its cause is the poll's timeout, whose cause is that attempt", async () => {
    const client = flavour.client({ endpoint: refused, auth: null, retry: SLOW_RETRY });
    const error = await client
      .operation('some-id')
      .wait({ pollTimeout: 1, pollInterval: 0.1 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect((error as Error).message).toBe(
      'Operation some-id did not finish within its poll timeout of 1 s (no status received yet); ' +
        `the last attempt failed: network error: ECONNREFUSED (connect ECONNREFUSED ${refused.slice('http://'.length)})`,
    );
    const timedOut = (error as Error).cause as ApiError;
    expect(timedOut).toMatchObject({ grpcCode: 4 });
    expect(timedOut.cause).toMatchObject({ grpcCode: 14, rawMessage: expect.stringMatching(/^network error: ECONNREFUSED/) });
  });
});

describe.each(FLAVOURS_AND_PROTOCOLS)('$label, a server that answers UNAVAILABLE', (flavour) => {
  test("a call's timeout names the last answer and carries it as its cause", async () => {
    const id = await emu.create({ faults: [{ status: 503, times: Infinity, message: 'the backend is down' }] });
    const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: SLOW_RETRY });
    // 3 s: time for a first attempt to fail even where loading the gRPC stack is slow (a busy machine).
    const error = await client
      .operation(id)
      .getStatus({ timeout: 3 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 4, httpStatus: null });
    expect((error as Error).message).toMatch(/^no answer within the call's timeout of 3 s; the last attempt failed: /);
    expect((error as Error).cause).toMatchObject({ name: 'ApiError', grpcCode: 14 });
    expect((error as Error).message).toContain(((error as Error).cause as ApiError).rawMessage);
  });

  test('a call that times out with no failed attempt names none', async () => {
    const id = await emu.create({ faults: [{ hang: true, times: Infinity }] });
    const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: SLOW_RETRY });
    const error = await client
      .operation(id)
      .getStatus({ timeout: 0.5 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 4, rawMessage: "no answer within the call's timeout of 0.5 s" });
    expect((error as Error).cause).toBeUndefined();
  });
});

describe.each(['rest', 'grpc'] as const)('%s, calls one after another', (protocol) => {
  test("a call that has ended leaves no timer holding the process, its client still open; a call's deadline still ends it", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const id = await emu.create({ never: true });
    await new Promise((r) => setTimeout(r, 50));
    const before = timers();
    const client = new AsyncOperationsClient({ endpoint: protocol === 'grpc' ? emu.grpcUrl! : emu.url, auth: null, protocol });
    const op = client.operation(id);
    for (let i = 0; i < 5; i++) await op.getStatus();
    await new Promise((r) => setTimeout(r, 50));
    expect(timers()).toBeLessThanOrEqual(before);
    // The transport's deadline timer, set for the first of these calls, still bounds a later one that hangs.
    const hung = client.operation(await emu.create({ faults: [{ hang: true, times: Infinity }] }));
    await expect(hung.getStatus({ timeout: 0.3 })).rejects.toMatchObject({ grpcCode: 4 });
    client.close();
  });
});
