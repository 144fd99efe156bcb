/**
 * Bad input is refused with a clear error before any request is sent, in both flavours. The cases
 * of test/transport.test.ts ("bad input is refused before any request") are not repeated here:
 * these are the ones it leaves out.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ApiError, backoff, WireDecodeError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from '../helpers/flavours';
import { activeResources, failOnUnhandledRejections, QUICK_RETRY, type Resources } from './harness';

let emu: Emulator;
let id: string;
beforeAll(async () => {
  emu = await startEmulator();
  id = await emu.create({ response: { '@type': 'x' } });
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());
failOnUnhandledRejections();

/** The error `call` throws or rejects with (fails the test when it succeeds). */
async function failureOf(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  return expect.unreachable('expected an error');
}

describe.each(FLAVOURS)('$name flavour', (flavour) => {
  const client = (extra: Record<string, unknown> = {}) => flavour.client({ endpoint: emu.url, auth: null, retry: QUICK_RETRY, ...extra });

  afterAll(async () => {
    // Nothing in this file may have reached the server.
    expect(await emu.requests()).toEqual([]);
  });

  describe('operation ids', () => {
    test.each([
      ['white space only', '   '],
      ['a line break', 'abc\n'],
      ['a leading dot', '.abc'],
      ['a NUL character', 'a\u0000b'],
      ['the :cancel suffix', 'abc:cancel'],
      ['a back slash', 'a\\b'],
      ['an encoded slash', 'a%2F..%2Fb'],
      ['an emoji', 'op-\u{1F600}'],
      ['129 characters', 'a'.repeat(129)],
    ])('an id with %s is refused with a RangeError that shows it safely', (_what, bad) => {
      const c = client();
      const error = (() => {
        try {
          c.operation(bad);
        } catch (e) {
          return e as Error;
        }
      })();
      c.close();
      expect(error).toBeInstanceOf(RangeError);
      expect(error!.message).toMatch(/^operation id must be 1 to 128 characters of A-Z a-z 0-9 _ - \./);
      expect(error!.message).not.toContain('\n'); // the id is quoted, not printed raw
    });

    test.each([
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['an object', { id: 'abc' }],
      ['an array', ['abc']],
    ])('an id that is %s is refused with a TypeError', (_what, bad) => {
      const c = client();
      expect(() => c.operation(bad as never)).toThrow(TypeError);
      expect(() => c.operation(bad as never)).toThrow(/^operation id must be a string, got /);
      c.close();
    });

    test('a 10 kB id is shown cut short in the message', () => {
      const c = client();
      expect(() => c.operation('x/'.repeat(5000))).toThrow(/\.\.\. \(10000 characters\)$/);
      c.close();
    });
  });

  describe('fromOperation', () => {
    test.each([
      ['null', null, /got null/],
      ['undefined', undefined, /got a undefined/],
      ['a number', 42, /got a number/],
      ['a boolean', true, /got a boolean/],
      ['an array', [{ id: 'abc' }], /got an array/],
      ['a function', () => ({ id: 'abc' }), /got a function/],
    ])('%s is refused with a TypeError naming its type', (_what, wire, message) => {
      const c = client();
      expect(() => c.fromOperation(wire as never)).toThrow(TypeError);
      expect(() => c.fromOperation(wire as never)).toThrow(message);
      c.close();
    });

    test.each([
      ['an empty id', { id: '', done: false }, RangeError],
      ['an id with a slash', { id: '../admin', done: false }, RangeError],
      ['an id that is a number', { id: 7, done: false }, WireDecodeError],
      ['done that is a string', { id: 'abc', done: 'true' }, WireDecodeError],
      ['an error that is a string', { id: 'abc', done: true, error: 'failed' }, WireDecodeError],
    ])('an Operation JSON with %s is refused', (_what, wire, type) => {
      const c = client();
      expect(() => c.fromOperation(wire)).toThrow(type);
      c.close();
    });
  });

  describe('timeouts and intervals', () => {
    const op = () => client().operation(id);
    test.each([
      ['getStatus', { timeout: 0 }, RangeError, /^timeout must be a positive, finite number of seconds, got 0$/],
      ['getStatus', { timeout: Number.NEGATIVE_INFINITY }, RangeError, /^timeout must be a positive/],
      ['getStatus', { timeout: null }, TypeError, /^timeout must be a number of seconds, got null$/],
      ['getStatus', { timeout: 5n }, TypeError, /^timeout must be a number of seconds, got a bigint$/],
      ['getResult', { timeout: Number.NaN }, RangeError, /^timeout must be a positive/],
      ['getResult', { timeout: '1' }, TypeError, /^timeout must be a number of seconds, got a string$/],
      ['cancel', { timeout: -0.5 }, RangeError, /^timeout must be a positive/],
      ['cancel', { timeout: Number.POSITIVE_INFINITY }, RangeError, /^timeout must be a positive/],
      ['wait', { pollTimeout: Number.NaN }, RangeError, /^pollTimeout must be a positive/],
      ['wait', { pollTimeout: Number.POSITIVE_INFINITY }, RangeError, /^pollTimeout must be a positive/],
      ['wait', { pollTimeout: '60' }, TypeError, /^pollTimeout must be a number of seconds, got a string$/],
      ['wait', { pollInterval: Number.POSITIVE_INFINITY }, RangeError, /^pollInterval must be a positive/],
      ['wait', { pollInterval: '1' }, TypeError, /^pollInterval must be a number of seconds, got a string$/],
      ['wait', { pollInterval: { intervalMs: () => 10 } }, TypeError, /^pollInterval must be a number of seconds, got an object$/],
      ['wait', null, TypeError, /^wait options must be an object, got null$/],
      ['wait', 5, TypeError, /^wait options must be an object, got a number$/],
      ['watch', { timeout: Number.NaN }, RangeError, /^timeout must be a positive/],
      ['watch', { pollInterval: -1 }, RangeError, /^pollInterval must be a positive/],
    ])('%s(%o) is refused', async (method, options, type, message) => {
      const o = op() as unknown as Record<string, (o: unknown) => Promise<unknown>>;
      const error = await failureOf(() => o[method]!(options));
      expect(error).toBeInstanceOf(type);
      expect(error.message).toMatch(message);
    });

    test.each([
      [{ defaultPollTimeout: Number.NaN }, RangeError, /^defaultPollTimeout must be a positive/],
      [{ defaultPollTimeout: -60 }, RangeError, /^defaultPollTimeout must be a positive/],
      [{ defaultPollTimeout: '60' }, TypeError, /^defaultPollTimeout must be a number of seconds/],
      [{ resultDecoder: 'json' }, TypeError, /^resultDecoder must be a function, got a string$/],
    ])('operation options %o are refused', (options, type, message) => {
      const c = client();
      expect(() => c.operation(id, options)).toThrow(type);
      expect(() => c.operation(id, options)).toThrow(message);
      c.close();
    });

    test.each([
      [{ initial: Number.NaN }, /backoff.initial/],
      [{ max: Number.POSITIVE_INFINITY }, /backoff.max/],
      [{ jitter: 2 }, /backoff.jitter/],
      [{ initial_s: 1 }, /backoff has no option "initial_s"/],
    ])('backoff(%o) is refused', (options, message) => {
      expect(() => backoff(options as never)).toThrow(message);
    });
  });

  describe('endpoints', () => {
    test.each([
      ['an empty string', '', /^endpoint must be a URL or one of operation, llm, searchapi, rest-assistant, got ""$/],
      ['a bare host name', 'operation.api.cloud.yandex.net', /^endpoint must be a URL/],
      ['a number', 8080, /^endpoint must be a string, got a number$/],
      ['an ftp URL', 'ftp://127.0.0.1/', /^endpoint must be an http\(s\) URL, got ftp:$/],
      ['a file URL', 'file:///etc/passwd', /^endpoint must be an http\(s\) URL, got file:$/],
      ['a query', 'https://operation.api.cloud.yandex.net/?token=x', /^endpoint must not have a query or a fragment$/],
      ['a fragment', 'https://operation.api.cloud.yandex.net/#x', /^endpoint must not have a query or a fragment$/],
      ['plain http to a public address', 'http://10.0.0.1:8080', /plain http to a non-loopback host/],
      ['plain http to a look-alike of loopback', 'http://127.0.0.1.nip.io', /plain http to a non-loopback host/],
      ['plain http to a look-alike of localhost', 'http://localhost.example.com', /plain http to a non-loopback host/],
    ])('%s is refused', (_what, endpoint, message) => {
      expect(() => flavour.client({ endpoint, auth: null })).toThrow(TypeError);
      expect(() => flavour.client({ endpoint, auth: null })).toThrow(message);
    });

    test.each([['http://127.0.0.1:9'], ['http://127.1.2.3:9'], ['http://localhost:9'], ['http://[::1]:9']])(
      'plain http to loopback (%s) is accepted without opting in: a call goes there (and finds the port closed)',
      async (endpoint) => {
        const c = flavour.client({ endpoint, auth: null, retry: false });
        const error = await failureOf(() => c.operation(id).getStatus({ timeout: 5 }));
        c.close();
        // A network error from the port, not a refusal of the endpoint.
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ grpcCode: 14, httpStatus: null });
        expect(error.message).toMatch(/^network error: /);
      },
    );

    test('plain http to a non-loopback host is accepted only with allowInsecureHttp: true, and opens no connection until asked', async () => {
      const before = await activeResources();
      const c = flavour.client({ endpoint: 'http://10.0.0.1:8080', auth: null, allowInsecureHttp: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await activeResources();
      c.close();
      const sockets = (r: Resources) =>
        [r.thread, ...r.workers.values()].flatMap((counts) => Object.entries(counts)).filter(([type]) => type.startsWith('TCP'));
      expect(sockets(now)).toEqual(sockets(before));
      expect(() => flavour.client({ endpoint: 'http://10.0.0.1:8080', auth: null })).toThrow(/plain http to a non-loopback host/);
    });
  });

  describe('unknown option names', () => {
    test.each([
      ['client', () => flavour.client({ endpoint: emu.url, auth: null, apikey: 'x' }), /^client has no option "apikey" \(known: /],
      ['client', () => flavour.client({ endpoint: emu.url, auth: null, pollInterval: 1 }), /^client has no option "pollInterval"/],
      ['client.retry', () => flavour.client({ endpoint: emu.url, auth: null, retry: { attempts: 3 } }), /^retry has no option "attempts"/],
      ['operation', () => client().operation(id, { pollInterval: 1 }), /^operation has no option "pollInterval" \(known: /],
      [
        'fromOperation',
        () => client().fromOperation({ id, done: false }, { metadataType: 'x' }),
        /^operation has no option "metadataType"/,
      ],
      [
        'getStatus',
        () =>
          client()
            .operation(id)
            .getStatus({ timeout: 1, retries: 2 } as never),
        /^getStatus has no option "retries"/,
      ],
      ['wait', () => client().operation(id).wait({ poll_timeout: 5 }), /^wait has no option "poll_timeout"/],
      [
        'watch',
        () =>
          client()
            .operation(id)
            .watch({ onProgress: () => {} }),
        /^watch has no option "onProgress"/,
      ],
      [
        'cancel',
        () =>
          client()
            .operation(id)
            .cancel({ force: true } as never),
        /^cancel has no option "force"/,
      ],
    ])('%s: an unknown option is refused with a TypeError listing the known ones', async (_where, call, message) => {
      const error = await failureOf(call);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(message);
    });
  });
});

describe('flavour-specific input', () => {
  test('the blocking flavour refuses a signal (it cannot be aborted) as an unknown option', async () => {
    const blocking = FLAVOURS.find((f) => f.name === 'blocking')!;
    const c = blocking.client({ endpoint: emu.url, auth: null });
    const error = await failureOf(() => c.operation(id).wait({ signal: new AbortController().signal }));
    c.close();
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^wait has no option "signal"/);
  });

  test('the blocking flavour refuses an AuthProvider object: its options must be plain data', () => {
    const blocking = FLAVOURS.find((f) => f.name === 'blocking')!;
    expect(() => blocking.client({ endpoint: emu.url, auth: { name: 'x', getHeaders: async () => ({}) } })).toThrow(/plain data/);
  });

  test.each([
    ['an empty API key', { apiKey: '' }],
    ['a blank IAM token', { iamToken: '   ' }],
    ['a key that is a number', { apiKey: 42 }],
    ['two kinds at once', { apiKey: 'AQVN-secret-1', iamToken: 't1.secret-2' }],
    ['an unknown kind', { token: 'AQVN-secret-3' }],
  ])('auth with %s is refused with a TypeError that shows no secret, before any request (both flavours)', async (_what, auth) => {
    await emu.clearRequests();
    for (const flavour of FLAVOURS) {
      // The async client checks credentials when it is made; the blocking one, in its worker, at
      // the first call (see test/resilience/pending-fixes.test.ts).
      const error = await failureOf(() => {
        const c = flavour.client({ endpoint: emu.url, auth });
        return c
          .operation(id)
          .getStatus()
          .finally(() => c.close());
      });
      expect(error, flavour.name).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^auth/);
      expect(error.message).not.toMatch(/secret/);
    }
    expect(await emu.requests()).toEqual([]);
  });
});
