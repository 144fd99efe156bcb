/**
 * Strict decoding of gRPC answers (src/proto/decode.ts), against bytes written by hand from the
 * upstream field numbers, not made by this project's encoder:
 * - yandex/cloud/operation/operation.proto: Operation { id = 1; done = 6; metadata = 7 (Any);
 *   oneof result { google.rpc.Status error = 8; google.protobuf.Any response = 9 } };
 * - google/rpc/status.proto: Status { int32 code = 1; string message = 2; repeated Any details = 3 };
 * - google/protobuf/any.proto: Any { string type_url = 1; bytes value = 2 };
 * - google/protobuf/struct.proto: Struct { map<string, Value> fields = 1 }, Value { string_value = 3 }.
 * (The project's copies are in src/proto.) Unit cases on the decoder, then the same bytes served by
 * a server in a child process, through both flavours (and an answer with no message at all).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, RunError } from 'yc-operation';
import { OPERATION } from '../src/proto/root';
import { responseJson } from '../src/transport/grpc-channel';
import { ROOT } from './helpers/child';
import { FLAVOURS_AND_PROTOCOLS } from './helpers/flavours';

const STRUCT = 'type.googleapis.com/google.protobuf.Struct';
/** The hex of an ASCII text (42 bytes for the Struct's type URL). */
const text = (ascii: string) => Buffer.from(ascii, 'latin1').toString('hex');
const hex = (...parts: string[]) => parts.join('').replace(/\s+/g, '');

/** Operation.id (1, length-delimited): `0a`, the length, the id. */
const id = (name: string) => hex('0a', name.length.toString(16).padStart(2, '0'), text(name));
const DONE = '30 01'; // done (6, varint) = true
const ERROR_13 = `42 08  08 0d  12 04 ${text('boom')}`; // error (8): Status { code: 13, message: "boom" }
const ERROR_0 = '42 00'; // error (8): an empty Status (code 0)
/** Struct { fields: { "text": Value { string_value: "hello" } } }: 17 bytes. */
const STRUCT_HELLO = hex('0a 0f', '0a 04', text('text'), '12 07', '1a 05', text('hello'));
/** response (9): Any { type_url: STRUCT (42 bytes), value: STRUCT_HELLO }: 63 bytes. */
const RESPONSE = hex('4a 3f', '0a 2a', text(STRUCT), '12 11', STRUCT_HELLO);

const decode = (...parts: string[]) => responseJson(OPERATION, Buffer.from(hex(...parts), 'hex')) as Record<string, unknown>;

describe('the decoder, on hand-written bytes', () => {
  test('of error and response (a oneof), the last on the wire wins, either way round', () => {
    expect(decode(id('op1'), DONE, ERROR_13, RESPONSE)).toEqual({
      id: 'op1',
      done: true,
      response: { '@type': STRUCT, value: { text: 'hello' } },
    });
    expect(decode(id('op1'), DONE, RESPONSE, ERROR_13)).toEqual({ id: 'op1', done: true, error: { code: 13, message: 'boom' } });
  });

  test('a response, then an empty error: done with neither, so the empty Any, as the reference reads it (golden x05b)', () => {
    expect(decode(id('op1'), DONE, RESPONSE, ERROR_0)).toEqual({ id: 'op1', done: true, error: {}, response: { '@type': '', value: '' } });
  });

  test('a message field sent twice is merged (metadata (7): its type URL, then its value)', () => {
    const metadata = hex('3a 2c', '0a 2a', text(STRUCT), '3a 13', '12 11', STRUCT_HELLO);
    expect(decode(id('op1'), metadata)).toEqual({ id: 'op1', metadata: { '@type': STRUCT, value: { text: 'hello' } } });
  });

  test('a known field with a wire type not its own is skipped, as an unknown field is', () => {
    // id (1) as fixed32 (wire type 5), then done (6) as length-delimited (wire type 2): both skipped.
    expect(decode(id('op1'), '0d 01 02 03 04', '32 01 00')).toEqual({ id: 'op1' });
    // An unknown field (15) of each valid wire type, a group (3 ... 4) among them.
    expect(decode(id('op1'), '78 05', '79 0102030405060708', '7a 01 00', '7b 08 01 7c', '7d 01020304')).toEqual({ id: 'op1' });
  });

  test('a wire type that does not exist, a lone end-group, field 0, or bytes cut short is an error', () => {
    expect(() => decode('0f 01')).toThrow(/invalid wire type 7 at offset 0/);
    expect(() => decode(id('op1'), '0e 01')).toThrow(/invalid wire type 6/);
    expect(() => decode('0c')).toThrow(/invalid wire type 4/);
    expect(() => decode('00 01')).toThrow(/field number 0/);
    expect(() => decode('0a 05', text('op'))).toThrow(/a length of 5 at offset 1 goes past the message's end at offset 4/);
    // A Status whose length passes the Operation's end, and a nested Any whose bytes hold a bad wire type.
    expect(() => decode('42 09 08 0d')).toThrow(/goes past the message's end/);
    expect(() => decode(hex('4a 30', '0a 2a', text(STRUCT), '12 02 0f 01'))).toThrow(/invalid wire type 7/);
  });
});

describe('over gRPC, through both flavours (a server in a child process sends the bytes)', () => {
  const answers: Record<string, string | string[] | null> = {
    opErrorThenResponse: hex(id('opErrorThenResponse'), DONE, ERROR_13, RESPONSE),
    opResponseThenError: hex(id('opResponseThenError'), DONE, RESPONSE, ERROR_13),
    opNoDetails: hex(id('opNoDetails'), DONE, ERROR_13),
    opBadWireType: '0f01',
    opNoMessage: null,
    opTwoMessages: [hex(id('opTwoMessages')), hex(id('opTwoMessages'), DONE)],
  };
  let server: ChildProcess;
  let endpoint: string;
  beforeAll(async () => {
    const env = { ...process.env, ANSWERS: JSON.stringify(answers) };
    server = spawn(process.execPath, ['test/fixtures/raw-grpc-server.mjs'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
    endpoint = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        const port = /PORT (\d+)/.exec(String(chunk))?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
      server.on('exit', (code) => reject(new Error(`the server ended (${code})`)));
    });
  });
  afterAll(() => server.stdin!.end());

  describe.each(FLAVOURS_AND_PROTOCOLS.filter((f) => f.protocol === 'grpc'))('$label', (flavour) => {
    const client = () => flavour.client({ endpoint, auth: null, retry: false });

    test('error then response: the response (the last on the wire)', async () => {
      const c = client();
      expect(await c.operation('opErrorThenResponse').getResult()).toEqual({ '@type': STRUCT, value: { text: 'hello' } });
      c.close();
    });

    test('response then error: failed, with details []', async () => {
      const c = client();
      const o = c.operation('opResponseThenError');
      const error = await o.getResult().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect(o.lastKnownStatus).toMatchObject({ isFailed: true, response: null, error: { code: 13, message: 'boom', details: [] } });
      c.close();
    });

    test('an error without details: details [], as over REST and in the reference', async () => {
      const c = client();
      expect((await c.operation('opNoDetails').getStatus()).error?.details).toEqual([]);
      c.close();
    });

    test('bytes with a wire type that does not exist: ApiError, gRPC code 2', async () => {
      const c = client();
      const error = await c
        .operation('opBadWireType')
        .getStatus()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ grpcCode: 2, httpStatus: null });
      expect((error as Error).message).toMatch(/the answer is not an Operation message: invalid wire type 7 at offset 0/);
      c.close();
    });

    test.each([
      { what: 'the status OK without a message', id: 'opNoMessage', message: /^No message received \(gRPC code 12; / },
      // Unread, grpc-js would hold the second message, and the status behind it, until the deadline.
      { what: 'two messages for a unary call', id: 'opTwoMessages', message: /^Too many responses received \(gRPC code 12; / },
    ])("$what: ApiError UNIMPLEMENTED at once, as grpc-js's own client names it", async ({ id, message }) => {
      const c = client();
      // Well within the test's own bound: an answer held until the call's deadline fails with code 4.
      const error = await c
        .operation(id)
        .getStatus({ timeout: 10 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ grpcCode: 12, httpStatus: null, attempts: 1 });
      expect((error as Error).message).toMatch(message);
      c.close();
    });
  });
});
