/**
 * The channel of the gRPC transport (src/transport/grpc-channel.ts), which drives grpc-js's
 * `Channel` directly, against a real grpc-js server on 127.0.0.1 in this process: what the server
 * receives (the request bytes, the metadata made once with each call's ids, the deadline), the
 * call's abort reaching the server as a cancelled call, and a failed call's code, details and
 * metadata.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LazyAbort } from '../src/runtime/lazy-abort';
import { callMetadata, GrpcChannel, type UnaryFailure } from '../src/transport/grpc-channel';

const same = (bytes: Buffer) => bytes;
const method = (path: string) => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: same,
  requestDeserialize: same,
  responseSerialize: same,
  responseDeserialize: same,
});

/** What the server saw of each call. */
const seen: { path: string; request: Buffer; metadata: Record<string, unknown>; deadline: grpc.Deadline }[] = [];
/** Resolved when a hung call is cancelled by its client. */
let cancelled: Promise<void>;
let cancel: () => void;

let server: grpc.Server;
let address: string;
beforeAll(async () => {
  server = new grpc.Server();
  const record = (call: grpc.ServerUnaryCall<Buffer, Buffer>) =>
    seen.push({ path: call.getPath(), request: call.request, metadata: call.metadata.getMap(), deadline: call.getDeadline() });
  server.addService(
    { echo: method('/t.T/Echo'), fail: method('/t.T/Fail'), hang: method('/t.T/Hang') },
    {
      echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        record(call);
        call.sendMetadata(new grpc.Metadata());
        callback(null, Buffer.concat([Buffer.from('echo:'), call.request]));
      },
      fail: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        record(call);
        const initial = new grpc.Metadata();
        initial.set('x-request-id', 'req-1');
        call.sendMetadata(initial);
        const trailers = new grpc.Metadata();
        trailers.set('x-server-trace-id', 'trace-1');
        callback({ code: grpc.status.FAILED_PRECONDITION, details: 'not now', metadata: trailers });
      },
      hang: (call: grpc.ServerUnaryCall<Buffer, Buffer>) => {
        record(call);
        call.on('cancelled', () => cancel());
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  address = `127.0.0.1:${port}`;
});
afterAll(() => server.forceShutdown());

const channelOf = () => new GrpcChannel({ address, plaintext: true, ca: null, userAgent: 'test/1', maxResponseBytes: 1 << 20 });

describe('a unary call on the channel', () => {
  test('sends the request bytes (a Buffer, or any Uint8Array) and the metadata made once with each call its own ids', async () => {
    const channel = channelOf();
    const metadata = callMetadata({ authorization: 'Api-Key k', 'x-folder-id': 'f1' });
    const deadlineMs = Date.now() + 30_000;
    const bytes = new Uint8Array([9, 1, 2, 3]).subarray(1);
    const first = await channel.unary('/t.T/Echo', bytes, metadata, { 'x-client-request-id': 'a' }, deadlineMs, new LazyAbort());
    const second = await channel.unary(
      '/t.T/Echo',
      Buffer.from('xy'),
      metadata,
      { 'x-client-request-id': 'b' },
      deadlineMs,
      new LazyAbort(),
    );
    channel.close();
    expect(first.message.toString('latin1')).toBe('echo:\x01\x02\x03');
    expect(second.message.toString()).toBe('echo:xy');
    const [one, two] = seen.slice(-2);
    expect(one!.request).toEqual(Buffer.from([1, 2, 3]));
    expect(one!.metadata).toMatchObject({ authorization: 'Api-Key k', 'x-folder-id': 'f1', 'x-client-request-id': 'a' });
    expect(two!.metadata).toMatchObject({ authorization: 'Api-Key k', 'x-folder-id': 'f1', 'x-client-request-id': 'b' });
    expect(String(one!.metadata['user-agent'])).toMatch(/^test\/1 /);
    // The deadline reaches the server (grpc-timeout), within the clocks' rounding.
    expect(Math.abs(Number(one!.deadline) - deadlineMs)).toBeLessThan(5_000);
    // The metadata made once is not changed by the calls that cloned it.
    expect(metadata.getMap()).toEqual({ authorization: 'Api-Key k', 'x-folder-id': 'f1' });
  });

  test("a failed call: its code, details, and the server's headers and trailers together", async () => {
    const channel = channelOf();
    const failure = await channel
      .unary('/t.T/Fail', Buffer.alloc(0), callMetadata({}), {}, Date.now() + 30_000, new LazyAbort())
      .catch((e: unknown) => e as UnaryFailure);
    channel.close();
    expect(failure).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'not now' });
    expect((failure as UnaryFailure).metadata).toMatchObject({ 'x-request-id': 'req-1', 'x-server-trace-id': 'trace-1' });
  });

  test('an abort cancels the call: the server sees it cancelled, and it fails with CANCELLED', async () => {
    cancelled = new Promise((resolve) => (cancel = resolve));
    const channel = channelOf();
    const abort = new LazyAbort();
    const call = channel.unary('/t.T/Hang', Buffer.alloc(0), callMetadata({}), {}, Date.now() + 30_000, abort).catch((e: unknown) => e);
    await expect.poll(() => seen.at(-1)?.path).toBe('/t.T/Hang');
    abort.abort(new Error('stop'));
    expect(await call).toMatchObject({ code: grpc.status.CANCELLED, details: 'Cancelled on client' });
    await cancelled;
    channel.close();
  });

  test('a call whose abort has already aborted is cancelled at once', async () => {
    const channel = channelOf();
    const abort = new LazyAbort();
    abort.abort();
    const failure = await channel
      .unary('/t.T/Echo', Buffer.alloc(0), callMetadata({}), {}, Date.now() + 30_000, abort)
      .catch((e: unknown) => e);
    channel.close();
    expect(failure).toMatchObject({ code: grpc.status.CANCELLED });
  });
});
