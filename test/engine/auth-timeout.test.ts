/**
 * Issue 10, "Must show" 1: an OAuth token endpoint that never answers fails the wait with the
 * token exchange's own timeout (10 s), as an authentication failure naming the IAM endpoint, not
 * as the wait's OperationTimeoutError. The hanging IAM stand-in is a loopback server on this
 * thread: it accepts the connection and never answers, which the blocking flavour's worker sees
 * the same even while this thread is blocked (the kernel accepts the connection).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, OperationTimeoutError } from 'yc-operation';
import { startEmulator, type Emulator } from 'yc-operation/testing';
import { FLAVOURS } from '../helpers/flavours';

let emu: Emulator;
let iam: http.Server;
let iamUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  iam = http.createServer((req) => {
    seen.push(`${req.method} ${req.url}`);
    // never answered
  });
  await new Promise<void>((resolve) => iam.listen(0, '127.0.0.1', resolve));
  iamUrl = `http://127.0.0.1:${(iam.address() as AddressInfo).port}`;
});
afterAll(async () => {
  iam.closeAllConnections();
  await new Promise((resolve) => iam.close(resolve));
  await emu.close();
});

describe.each(FLAVOURS)('$name: a hung OAuth token exchange', (flavour) => {
  test('wait({ pollTimeout: 30 }) fails after the exchange\'s 10 s with ApiError 16 naming the IAM endpoint', async () => {
    const id = await emu.create({ never: true });
    const client = flavour.client({ endpoint: emu.url, auth: { oauthToken: 'y0_AgAAAAhanging-token-for-test' }, iamEndpoint: iamUrl });
    const started = performance.now();
    const error = await client.operation(id).wait({ pollTimeout: 30, pollInterval: 0.1 }).catch((e: unknown) => e);
    const seconds = (performance.now() - started) / 1000;
    client.close();
    expect(error).not.toBeInstanceOf(OperationTimeoutError);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.grpcCode).toBe(16);
    expect(apiError.message).toContain(`${iamUrl}/iam/v1/tokens`);
    expect(apiError.message).toMatch(/no answer within 10 s/);
    expect(apiError.message).not.toContain('hanging-token');
    expect(seen).toContain('POST /iam/v1/tokens');
    // The exchange's own timeout, not the poll timeout of 30 s (loose: a noisy machine is slow).
    expect(seconds).toBeGreaterThan(9);
    expect(seconds).toBeLessThan(20);
  }, 25_000);
});
