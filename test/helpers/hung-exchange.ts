/**
 * Issue 10, "Must show" 1: an OAuth token endpoint that never answers fails the wait with the
 * token exchange's own timeout, as an authentication failure naming the IAM endpoint, not as the
 * wait's OperationTimeoutError. The hanging IAM stand-in is a loopback server on this thread: it
 * accepts the connection and never answers, which the blocking flavour's worker sees the same even
 * while this thread is blocked (the kernel accepts the connection).
 *
 * Run at the real 10 s by test/long/auth-timeout.test.ts, and at a replaced timeout (the internal
 * YC_OPERATION_INTERNAL_TOKEN_TIMEOUT_MS of src/transport/auth/http.ts) by test/engine/auth-timeout.test.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, OperationTimeoutError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { activeResources, expectNothingLeft, failOnUnhandledRejections, keepSdkWorker } from '../resilience/harness';
import { FLAVOURS } from './flavours';

/** The tests of a hung exchange whose timeout is `timeoutS` seconds. */
export function describeHungExchange(timeoutS: number): void {
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
  failOnUnhandledRejections();

  describe.each(FLAVOURS)('$name: a hung OAuth token exchange', (flavour) => {
    keepSdkWorker(flavour, () => emu.url);
    test(
      `wait({ pollTimeout: 30 }) fails after the exchange's ${timeoutS} s with ApiError 16 naming the IAM endpoint, leaving nothing behind`,
      async () => {
        const before = await activeResources();
        const id = await emu.create({ never: true });
        const client = flavour.client({ endpoint: emu.url, auth: { oauthToken: 'y0_AgAAAAhanging-token-for-test' }, iamEndpoint: iamUrl });
        const started = performance.now();
        const error = await client
          .operation(id)
          .wait({ pollTimeout: 30, pollInterval: 0.1 })
          .catch((e: unknown) => e);
        const seconds = (performance.now() - started) / 1000;
        client.close();
        expect(error).not.toBeInstanceOf(OperationTimeoutError);
        expect(error).toBeInstanceOf(ApiError);
        const apiError = error as ApiError;
        expect(apiError.grpcCode).toBe(16);
        expect(apiError.message).toContain(`${iamUrl}/iam/v1/tokens`);
        expect(apiError.message).toContain(`no answer within ${timeoutS} s`);
        expect(apiError.message).not.toContain('hanging-token');
        expect(seen).toContain('POST /iam/v1/tokens');
        // The exchange's own timeout, not the poll timeout of 30 s (loose: a noisy machine is slow).
        expect(seconds).toBeGreaterThan(timeoutS * 0.9);
        expect(seconds).toBeLessThan(timeoutS + 10);
        await expectNothingLeft(before);
      },
      (timeoutS + 15) * 1000,
    );
  });
}
