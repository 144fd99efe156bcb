/**
 * The REST transport against the emulator, in both flavours: the headers of docs/wire.md, the
 * reference retry policy, API errors decoded into ApiError, and bad input refused before any
 * request is sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ApiError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from './helpers/flavours';

const QUICK_RETRY = { initialBackoff: 0.01, maxBackoff: 0.02, jitter: 0 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: 'test-api-key-123' });
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());

describe.each(FLAVOURS)('$name flavour', (flavour) => {
  const client = (extra: Record<string, unknown> = {}) =>
    flavour.client({ endpoint: emu.url, auth: { apiKey: 'test-api-key-123' }, retry: QUICK_RETRY, ...extra });

  test('every request carries the headers of docs/wire.md', async () => {
    const c = client({ folderId: 'b1gfolder', headers: { 'x-extra': 'yes' } });
    const id = await emu.create({});
    await c.operation(id).getStatus();
    c.close();
    const [request] = await emu.requests();
    expect(request!.path).toBe(`/operations/${id}`);
    expect(request!.headers).toMatchObject({ authorization: 'Api-Key test-api-key-123', 'x-folder-id': 'b1gfolder', 'x-extra': 'yes' });
    expect(request!.headers['x-client-request-id']).toMatch(UUID);
    expect(request!.headers['idempotency-key']).toMatch(UUID);
    expect(request!.headers['user-agent']).toMatch(
      new RegExp(`^yc-operation/\\d+\\.\\d+\\.\\d+ \\(node ${process.version.replaceAll('.', '\\.')}[;)]`),
    );
    expect(request!.headers['x-retry-attempt']).toBeUndefined();
  });

  test("the headers option cannot replace a call's own headers, and its other headers go with them", async () => {
    const mine = { 'x-client-request-id': 'mine', 'Idempotency-Key': 'mine', 'X-Retry-Attempt': '9', 'x-extra': 'yes' };
    const c = client({ headers: mine });
    const id = await emu.create({ faults: [{ status: 503, times: 1 }] });
    expect((await c.operation(id).getStatus()).isSucceeded).toBe(true);
    c.close();
    const requests = await emu.requests();
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.headers).toMatchObject({ 'x-extra': 'yes', 'accept-encoding': 'gzip, deflate, br' });
      expect(request.headers['x-client-request-id']).toMatch(UUID);
      expect(request.headers['idempotency-key']).toMatch(UUID);
      expect(request.headers['user-agent']).toMatch(/^yc-operation\//);
    }
    expect(requests.map((r) => r.headers['x-retry-attempt'])).toEqual([undefined, '1']);
  });

  test.each([[503], [429]])('HTTP %i is retried with one idempotency key and a growing x-retry-attempt', async (status) => {
    const c = client();
    const id = await emu.create({ faults: [{ status, times: 2 }] });
    expect((await c.operation(id).getStatus()).isSucceeded).toBe(true);
    c.close();
    const requests = await emu.requests();
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    // One x-client-request-id per logical call, as the Python SDK sends: its retries reuse it.
    expect(new Set(requests.map((r) => r.headers['x-client-request-id'])).size).toBe(1);
    expect(requests.map((r) => r.headers['x-retry-attempt'])).toEqual([undefined, '1', '2']);
  });

  test('retries stop after maxAttempts with the last ApiError', async () => {
    const c = client({ retry: { ...QUICK_RETRY, maxAttempts: 3 } });
    const id = await emu.create({ faults: [{ status: 503, times: Infinity, message: 'overloaded' }] });
    const error = await c
      .operation(id)
      .getStatus()
      .catch((e: unknown) => e);
    c.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 14, httpStatus: 503, attempts: 3, rawMessage: 'overloaded' });
    expect(await emu.requests()).toHaveLength(3);
  });

  test.each([
    [401, 16],
    [403, 7],
    [404, 5],
    [400, 3],
  ])('HTTP %i fails at once with ApiError (gRPC code %i) and its ids', async (status, grpcCode) => {
    const c = client();
    const id = await emu.create({ faults: [{ status, message: 'no way' }] });
    const error = (await c
      .operation(id)
      .getStatus()
      .catch((e: unknown) => e)) as ApiError;
    c.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode, httpStatus: status, attempts: 1, endpoint: `${emu.url}/operations/${id}` });
    expect(error.requestId).toBeTruthy();
    expect(error.serverTraceId).toBeTruthy();
    expect(error.clientRequestId).toMatch(UUID);
    expect(error.message).toContain(error.requestId!);
    expect(await emu.requests()).toHaveLength(1);
  });

  test("the call's timeout bounds all its attempts", async () => {
    const c = client({ retry: { initialBackoff: 0.2, maxBackoff: 0.2, jitter: 0, maxAttempts: 100 } });
    const id = await emu.create({ faults: [{ status: 503, times: Infinity }] });
    const started = Date.now();
    const error = await c
      .operation(id)
      .getStatus({ timeout: 1 })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    c.close();
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 4, httpStatus: null });
    expect((error as Error).cause).toMatchObject({ grpcCode: 14 });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000); // bounded, not a speed claim
    const made = (await emu.requests()).length;
    expect(made).toBeGreaterThan(1);
    expect(made).toBeLessThan(10);
  });

  test('a wrong API key fails with ApiError 16 naming the auth kind, not the key', async () => {
    const c = flavour.client({ endpoint: emu.url, auth: { apiKey: 'wrong-secret-key' }, retry: false });
    const id = await emu.create({});
    const error = (await c
      .operation(id)
      .getStatus()
      .catch((e: unknown) => e)) as ApiError;
    c.close();
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: 401, authProvider: 'api-key' });
    expect(error.message).toContain('auth: api-key');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain('wrong-secret-key');
  });

  test('an error body that echoes the credentials does not carry them into the ApiError', async () => {
    const c = client({ retry: false });
    const id = await emu.create({
      faults: [
        { status: 400, message: 'bad header Authorization: Api-Key test-api-key-123' },
        { status: 502, body: '<p>echo test-api-key-123</p>', contentType: 'text/html' },
      ],
    });
    for (let i = 0; i < 2; i++) {
      const error = (await c
        .operation(id)
        .getStatus()
        .catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(`${error.message} ${error.rawMessage} ${JSON.stringify(error.details)}`).not.toContain('test-api-key-123');
      if (i === 0) expect(error.rawMessage).toBe('bad header Authorization: <redacted>');
    }
    c.close();
  });

  describe('bad input is refused before any request', () => {
    test.each([
      ['an empty id', ''],
      ['a slash', 'a/b'],
      ['a question mark', 'a?b'],
      ['a hash', 'a#b'],
      ['a dot-dot', '..'],
      ['a percent', 'a%2Fb'],
      ['white space', ' abc'],
      ['unicode', 'опер'],
      ['10 kB', 'a'.repeat(10_000)],
    ])('an id with %s', async (_name, id) => {
      const c = client();
      expect(() => c.operation(id)).toThrow(RangeError);
      c.close();
      expect(await emu.requests()).toHaveLength(0);
    });

    test.each([
      [{ timeout: Number.NaN }],
      [{ timeout: -1 }],
      [{ timeout: Number.POSITIVE_INFINITY }],
      [{ timeout: '5' }],
      [{ pollTimeout: -1 }],
      [{ pollInterval: Number.NaN }],
      [{ pollInterval: -2 }],
      [{ poll_interval: 2 }],
    ])('wait(%o)', async (options) => {
      const c = client();
      const id = await emu.create({});
      await expect(c.operation(id).wait(options)).rejects.toThrow(/timeout|pollTimeout|pollInterval|no option "poll_interval"/);
      await expect(c.operation(id).getStatus(('timeout' in options ? options : { bogus: 1 }) as never)).rejects.toThrow(Error);
      c.close();
      expect(await emu.requests()).toHaveLength(0);
    });

    test.each([
      [{ endpoint: 'not a url' }, /endpoint must be a URL/],
      [{ endpoint: 'http://example.com' }, /plain http to a non-loopback host/],
      [{ endpoint: 'https://user:pw@example.com' }, /must not carry credentials/],
      [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts/],
      [{ timeout: 5 }, /client has no option "timeout"/],
      [{ logger: {} }, /logger must have a debug\(\) method/],
    ])('client options %o', (options, message) => {
      expect(() => flavour.client(options)).toThrow(message);
    });

    test('fromOperation of a non-object or an object without an id', () => {
      const c = client();
      expect(() => c.fromOperation('op' as never)).toThrow(/fromOperation takes an Operation JSON object, got a string/);
      expect(() => c.fromOperation({ done: true })).toThrow(/needs an Operation JSON with an "id"/);
      c.close();
    });
  });
});
