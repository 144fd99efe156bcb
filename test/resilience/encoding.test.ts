/**
 * Compressed answers (src/transport/http-adapter.ts): the SDK asks for gzip, deflate and br, as
 * axios does, decodes each, bounds the decoded bytes by `maxResponseBytes` (a gzip bomb stops at
 * the limit), and reports a corrupt body without its bytes. Both flavours, against a server in a
 * child process (test/fixtures/misbehaving-server.mjs).
 */
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient } from 'yc-operation';
import { FLAVOURS } from '../helpers/flavours';
import { errorOf, failOnUnhandledRejections, okValueOf, outcomeOf } from './harness';
import { type Misbehaving, startMisbehaving } from './misbehaving';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

let server: Misbehaving;
beforeAll(async () => {
  server = await startMisbehaving();
});
afterAll(() => server.close());
failOnUnhandledRejections();

describe.each(FLAVOURS)('$name flavour', (flavour) => {
  test.each(['gzip', 'x-gzip', 'deflate', 'deflate-raw', 'br', 'identity'])(
    'a %s answer is decoded; the request asked for gzip, deflate, br',
    async (id) => {
      const client = flavour.client({ endpoint: server.rest, auth: null });
      const result = okValueOf(await outcomeOf(() => client.operation(id).getResult({ timeout: 20 })));
      client.close();
      expect(result).toMatchObject({ text: `decoded ${id}`, acceptEncoding: 'gzip, deflate, br' });
    },
  );

  test('the headers option can ask for no compression', async () => {
    const client = flavour.client({ endpoint: server.rest, auth: null, headers: { 'Accept-Encoding': 'identity' } });
    const result = okValueOf(await outcomeOf(() => client.operation('identity').getResult({ timeout: 20 })));
    client.close();
    expect(result).toMatchObject({ acceptEncoding: 'identity' });
  });

  test.each([
    ['the default limit (64 MiB)', undefined],
    ['a limit of 1 MiB', MIB],
  ])('a gzip bomb (1 GiB of zeros in 1 MiB) stops at %s, counted in decoded bytes; RSS stays under 1 GiB', async (_what, limit) => {
    const client = flavour.client({ endpoint: server.rest, auth: null, ...(limit === undefined ? {} : { maxResponseBytes: limit }) });
    const error = errorOf(await outcomeOf(() => client.operation('bomb').getStatus({ timeout: 60 })));
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 8, httpStatus: 200, attempts: 1 });
    expect(error.message).toContain(`limit of ${limit ?? 64 * MIB} bytes`);
    expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(GIB);
  });

  test('a small bomb (3 MiB of zeros in 3 KB, decoded on the calling thread) stops at the limit too', async () => {
    const client = flavour.client({ endpoint: server.rest, auth: null, maxResponseBytes: MIB });
    const error = errorOf(await outcomeOf(() => client.operation('small-bomb').getStatus({ timeout: 60 })));
    client.close();
    expect(error).toMatchObject({ grpcCode: 8, httpStatus: 200, attempts: 1 });
    expect(error.message).toContain(`limit of ${MIB} bytes`);
  });

  test('a corrupt gzip body is ApiError 2 saying it could not be decoded, without its bytes, not retried', async () => {
    const client = flavour.client({ endpoint: server.rest, auth: null, retry: { initialBackoff: 0.01, jitter: 0 } });
    const error = errorOf(await outcomeOf(() => client.operation('corrupt-gzip').getStatus({ timeout: 20 })));
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 2, httpStatus: 200, attempts: 1 });
    expect(error.message).toMatch(/^the answer's body could not be decoded \(content-encoding: gzip\): incorrect header check/);
    expect(error.message).not.toContain('SECRET'); // bytes of the body
    expect(error.message).not.toMatch(/[\u0000-\u0008\u007f-\uffff]/);
  });
});

describe("the user's own axios instance (promise flavour)", () => {
  test('a corrupt gzip body is the same ApiError 2', async () => {
    const client = new AsyncOperationsClient({ endpoint: server.rest, auth: null, axios: axios.create() });
    const error = errorOf(await outcomeOf(() => client.operation('corrupt-gzip').getStatus({ timeout: 20 })));
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 2, attempts: 1 });
    expect(error.message).toMatch(/^the answer's body could not be decoded: incorrect header check/);
  });

  test('a gzip bomb stops at maxResponseBytes', async () => {
    const client = new AsyncOperationsClient({ endpoint: server.rest, auth: null, axios: axios.create(), maxResponseBytes: MIB });
    const error = errorOf(await outcomeOf(() => client.operation('bomb').getStatus({ timeout: 60 })));
    client.close();
    expect(error).toMatchObject({ grpcCode: 8 });
    expect(error.message).toContain(`limit of ${MIB} bytes`);
  });
});
