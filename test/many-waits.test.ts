/**
 * Many waits in one process (issue 23): their polls go through the client's lines
 * (src/core/request-line.ts), so however many are due at once, at most LINE_CAP requests are in
 * flight; and every wait still finishes. The emulator's request log counts the requests it was
 * answering as each arrived. Each first poll is answered after a short latency, so that polls pile
 * up in flight if nothing bounds them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AsyncOperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { LINE_CAP } from '../src/core/request-line';

const WAITS = 2000;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ grpc: true, requestLogLimit: 3 * WAITS });
});
afterAll(() => emu.close());

describe.each(['rest', 'grpc'] as const)('%s', (protocol) => {
  test(`${WAITS} waits due at once all finish, with at most LINE_CAP requests in flight`, async () => {
    const ids = await Promise.all(Array.from({ length: WAITS }, () => emu.create({ donePolls: 2, faults: [{ latency: 0.05 }] })));
    await emu.clearRequests();
    const endpoint = protocol === 'grpc' ? emu.grpcUrl! : emu.url;
    const client = new AsyncOperationsClient({ endpoint, auth: null, protocol });
    const results = await Promise.all(ids.map((id) => client.operation(id).wait({ pollInterval: 0.05 })));
    client.close();
    expect(results).toHaveLength(WAITS);
    const gets = (await emu.requests()).filter((r) => r.operationId !== null);
    expect(gets).toHaveLength(2 * WAITS);
    const peak = Math.max(...gets.map((r) => r.inFlight));
    expect(peak).toBeLessThanOrEqual(LINE_CAP);
  }, 120_000);
});

test('slow answers do not lift the cap: polls answered after 6 s (slow for the line after 1 s) stay at most LINE_CAP in flight', async () => {
  // Without the cap, 64 more would go every second as the ones in flight turn slow: 384 by 5 s.
  const ids = await Promise.all(Array.from({ length: 400 }, () => emu.create({ donePolls: 1, faults: [{ latency: 6 }] })));
  await emu.clearRequests();
  const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
  const results = await Promise.all(ids.map((id) => client.operation(id).wait({ pollInterval: 0.05 })));
  client.close();
  expect(results).toHaveLength(ids.length);
  const gets = (await emu.requests()).filter((r) => r.operationId !== null);
  expect(gets).toHaveLength(ids.length);
  expect(Math.max(...gets.map((r) => r.inFlight))).toBeLessThanOrEqual(LINE_CAP);
}, 120_000);
