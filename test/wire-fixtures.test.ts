/**
 * Decoding checked against the wire as the real services write it, not as our own encoder does
 * (the emulator encodes with src/proto/from-json.ts, the SDK decodes with src/proto/to-json.ts, so
 * a mistake made the same way in both would pass every other gRPC test).
 *
 * gRPC: each answer is bytes written by hand, field by field, from the upstream definitions
 * (github.com/yandex-cloud/cloudapi yandex/cloud/operation/operation.proto: Operation; googleapis
 * google/rpc/status.proto: Status; google/protobuf/any.proto: Any; google/rpc/error_details.proto:
 * RequestInfo; the same field numbers as src/proto/*.proto). A stand-in gRPC server (grpc-js with
 * identity serializers, in a thread of its own) sends them as they are, and the clients decode
 * them. Protobuf's own rules apply: unknown fields are skipped, the last value of a field wins, the
 * last member of a oneof wins, an embedded message given twice is merged, and a wire type that
 * does not exist (6, 7) is a malformed answer.
 *
 * REST: each answer is in the gateway's shape (docs: the Operation API's REST reference and
 * ../shared/spec/wire.md, from the public docs), with its headers (x-request-id,
 * x-server-trace-id) and google.rpc.Status bodies, written out as text.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, OperationNotFoundError, type OperationStatus, RunError, WireDecodeError } from 'yc-operation';
import { FLAVOURS, FLAVOURS_AND_PROTOCOLS, type Flavour } from './helpers/flavours';
import { failOnUnhandledRejections, keepSdkWorker, type StandIns, startStandIns } from './resilience/harness';

failOnUnhandledRejections();

/** The bytes of hex pairs and texts, in order (spaces between pairs are for the reader). */
function hex(...parts: string[]): string {
  return parts.join('').replace(/\s/g, '');
}

/** The hex of a text's UTF-8 bytes (the content of a string field, after its tag and length). */
function text(value: string): string {
  return Buffer.from(value, 'utf8').toString('hex');
}

const REQUEST_INFO = 'type.googleapis.com/google.rpc.RequestInfo';
const UNKNOWN_ANY = { '@type': 'type.googleapis.com/example.Unknown', value: Buffer.from([0x08, 0x2a]).toString('base64') };

// ---- gRPC ---------------------------------------------------------------------------------------

/** Answers of OperationService/Get, by the operation id asked for: yandex.cloud.operation.Operation. */
const OPERATIONS: Record<string, string> = {
  'op-a': hex(
    '0a 04',
    text('op-a'), // 1 id (LEN 4)
    '12 01',
    text('d'), // 2 description (LEN 1)
    '1a 0b', // 3 created_at (LEN 11): google.protobuf.Timestamp
    '08 80 e2 cf aa 06', //   1 seconds (VARINT) 1700000000
    '10 c0 96 b1 02', //   2 nanos (VARINT) 5000000
    '22 01',
    text('u'), // 4 created_by (LEN 1)
    '30 00', // 6 done (VARINT) 0
    '3a 32', // 7 metadata (LEN 50): google.protobuf.Any
    '0a 2a',
    text('type.googleapis.com/google.rpc.RequestInfo'), //   1 type_url (LEN 42)
    '12 04', //   2 value (LEN 4): google.rpc.RequestInfo
    '0a 02',
    text('m1'), //     1 request_id (LEN 2)
  ),
  'op-b': hex(
    '0a 04',
    text('op-b'), // 1 id (LEN 4)
    '30 01', // 6 done (VARINT) 1
    '4a 29', // 9 response (LEN 41): google.protobuf.Any
    '0a 23',
    text('type.googleapis.com/example.Unknown'), //   1 type_url (LEN 35)
    '12 02 08 2a', //   2 value (LEN 2): 08 2a, field 1 = 42 of a type we have no .proto for
  ),
  'op-c': hex(
    '0a 04',
    text('op-c'), // 1 id (LEN 4)
    '30 01', // 6 done (VARINT) 1
    '42 40', // 8 error (LEN 64): google.rpc.Status
    '08 09', //   1 code (VARINT) 9
    '12 07',
    text('No rows'), //   2 message (LEN 7)
    '1a 33', //   3 details (LEN 51): google.protobuf.Any
    '0a 2a',
    text('type.googleapis.com/google.rpc.RequestInfo'), //     1 type_url (LEN 42)
    '12 05', //     2 value (LEN 5): google.rpc.RequestInfo
    '0a 03',
    text('r-9'), //       1 request_id (LEN 3)
  ),
  'op-d': hex(
    '0a 04',
    text('op-d'), // 1 id (LEN 4)
    '30 01', // 6 done (VARINT) 1
    '42 08', // 8 error (LEN 8): google.rpc.Status, no details
    '08 05', //   1 code (VARINT) 5
    '12 04',
    text('gone'), //   2 message (LEN 4)
  ),
  'op-e': hex(
    '0a 04',
    text('op-e'), // 1 id (LEN 4)
    '30 01', // 6 done (VARINT) 1
    '42 08', // 8 error (LEN 8): google.rpc.Status
    '08 05', //   1 code (VARINT) 5
    '12 04',
    text('gone'), //   2 message (LEN 4)
    '4a 29', // 9 response (LEN 41): google.protobuf.Any, the last member of the oneof
    '0a 23',
    text('type.googleapis.com/example.Unknown'), //   1 type_url (LEN 35)
    '12 02 08 2a', //   2 value (LEN 2): 08 2a, field 1 = 42 of a type we have no .proto for
  ),
  'op-f': hex(
    '0a 04',
    text('op-f'), // 1 id (LEN 4)
    '30 01', // 6 done (VARINT) 1
    '4a 29', // 9 response (LEN 41): google.protobuf.Any
    '0a 23',
    text('type.googleapis.com/example.Unknown'), //   1 type_url (LEN 35)
    '12 02 08 2a', //   2 value (LEN 2): 08 2a, field 1 = 42 of a type we have no .proto for
    '42 08', // 8 error (LEN 8): google.rpc.Status, the last member of the oneof
    '08 05', //   1 code (VARINT) 5
    '12 04',
    text('gone'), //   2 message (LEN 4)
  ),
  'op-g7': hex(
    '0a 05',
    text('op-g7'), // 1 id (LEN 5)
    '30 01', // 6 done (VARINT) 1
    '1f 00', // 3 with wire type 7, which does not exist
  ),
  'op-g6': hex(
    '0a 05',
    text('op-g6'), // 1 id (LEN 5)
    '30 01', // 6 done (VARINT) 1
    '1e 00', // 3 with wire type 6, which does not exist
  ),
  'op-h': hex(
    '0a 04',
    text('op-h'), // 1 id (LEN 4)
    '78 2a', // 15 (VARINT) 42: a field this version does not know
    'a2 06 03 78 79 7a', // 100 (LEN 3) "xyz": another
    '30 01', // 6 done (VARINT) 1
    '4a 29', // 9 response (LEN 41): google.protobuf.Any
    '0a 23',
    text('type.googleapis.com/example.Unknown'), //   1 type_url (LEN 35)
    '12 02 08 2a', //   2 value (LEN 2): 08 2a, field 1 = 42 of a type we have no .proto for
  ),
  'op-i': hex(
    '0a 02',
    text('zz'), // 1 id (LEN 2)
    '30 01', // 6 done (VARINT) 1
    '0a 04',
    text('op-i'), // 1 id, again: the last value wins (LEN 4)
    '30 00', // 6 done, again: the last value wins (VARINT) 0
  ),
  'op-j': hex(
    '0a 04',
    text('op-j'), // 1 id (LEN 4)
    '3a 2c', // 7 metadata (LEN 44): google.protobuf.Any, its first part
    '0a 2a',
    text('type.googleapis.com/google.rpc.RequestInfo'), //   1 type_url (LEN 42)
    '3a 06', // 7 metadata (LEN 6): google.protobuf.Any again: merged into the first
    '12 04', //   2 value (LEN 4): google.rpc.RequestInfo
    '0a 02',
    text('m1'), //     1 request_id (LEN 2)
  ),
};

/**
 * Answers of BatchInferenceService/Describe, by task id: DescribeBatchInferenceResponse
 * (github.com/yandex-cloud/cloudapi yandex/cloud/ai/batch_inference/v1/batch_inference.proto).
 */
const BATCH_TASKS: Record<string, string> = {
  'bt-a': hex(
    '0a 1b', // 1 task (LEN 27): BatchInferenceTask
    '0a 04',
    text('bt-a'), //   1 task_id (LEN 4)
    '38 05', //   7 status (VARINT) 5 = FAILED
    '72 11', //   14 errors (LEN 17): ErrorsInfo
    '0a 0f', //     1 status (LEN 15): google.rpc.Status without a code
    '12 0d',
    text('out of memory'), //       2 message (LEN 13)
  ),
  'bt-b': hex(
    '0a 08', // 1 task (LEN 8): BatchInferenceTask
    '0a 04',
    text('bt-b'), //   1 task_id (LEN 4)
    '38 05', //   7 status (VARINT) 5 = FAILED, and no errors at all
  ),
};

/** The google.rpc.Status of a failed call, sent in the `grpc-status-details-bin` trailer. */
const NOT_FOUND_STATUS = hex(
  '08 05', // 1 code (VARINT) 5
  '12 18',
  text('Operation op-k not found'), // 2 message (LEN 24)
  '1a 35', // 3 details (LEN 53): google.protobuf.Any
  '0a 2a',
  text('type.googleapis.com/google.rpc.RequestInfo'), //   1 type_url (LEN 42)
  '12 07', //   2 value (LEN 7): google.rpc.RequestInfo
  '0a 05',
  text('req-k'), //     1 request_id (LEN 5)
);

/** The failed calls, by operation id: their code, message and trailers. */
const FAILURES: Record<string, { code: number; message: string; trailers: Record<string, string>; statusHex?: string }> = {
  'op-k': { code: 5, message: 'Operation op-k not found', trailers: { 'x-server-trace-id': 'trace-k' }, statusHex: NOT_FOUND_STATUS },
  'op-l': { code: 9, message: 'wrong state', trailers: { 'x-request-id': 'req-l', 'x-server-trace-id': 'trace-l' } },
};

/** A gRPC server that answers Get and Cancel with the bytes above, in a thread of its own. */
async function startWireServer(): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const grpc = require('@grpc/grpc-js');
    const { operations, batchTasks, failures } = workerData;
    const raw = { requestStream: false, responseStream: false, requestSerialize: (b) => b, requestDeserialize: (b) => b, responseSerialize: (b) => b, responseDeserialize: (b) => b };
    const answer = (call, callback) => {
      // GetOperationRequest: field 1 (operation_id), LEN of one byte, the id.
      // Describe's DescribeBatchInferenceRequest: the same, field 1 (task_id).
      const request = call.request;
      const id = request.subarray(2, 2 + request[1]).toString();
      const answer = operations[id] || batchTasks[id];
      if (answer) return callback(null, Buffer.from(answer, 'hex'));
      const failure = failures[id];
      const metadata = new grpc.Metadata();
      for (const [name, value] of Object.entries(failure ? failure.trailers : {})) metadata.set(name, value);
      if (failure && failure.statusHex) metadata.set('grpc-status-details-bin', Buffer.from(failure.statusHex, 'hex'));
      callback(failure ? { code: failure.code, details: failure.message, metadata } : { code: 5, details: 'no fixture ' + id });
    };
    const server = new grpc.Server();
    server.addService(
      { Get: { path: '/yandex.cloud.operation.OperationService/Get', ...raw }, Cancel: { path: '/yandex.cloud.operation.OperationService/Cancel', ...raw } },
      { Get: answer, Cancel: answer },
    );
    server.addService({ Describe: { path: '/yandex.cloud.ai.batch_inference.v1.BatchInferenceService/Describe', ...raw } }, { Describe: answer });
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => parentPort.postMessage({ port }));
    parentPort.on('message', () => server.tryShutdown(() => parentPort.postMessage({ closed: true })));
  `,
    { eval: true, workerData: { operations: OPERATIONS, batchTasks: BATCH_TASKS, failures: FAILURES } },
  );
  const { port } = await new Promise<{ port: number }>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

const grpcFlavours = FLAVOURS_AND_PROTOCOLS.filter((f) => f.protocol === 'grpc');

describe.each(grpcFlavours)('gRPC bytes from the upstream field numbers: $label', (flavour) => {
  let server: Awaited<ReturnType<typeof startWireServer>>;
  let client: ReturnType<Flavour['client']>;
  beforeAll(async () => {
    server = await startWireServer();
    client = flavour.client({ endpoint: server.url, auth: null, retry: false });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });
  keepSdkWorker(flavour, () => server.url);

  const status = (id: string) => client.operation(id).getStatus();
  const fields = (s: OperationStatus) => ({ done: s.done, error: s.error && { ...s.error }, response: s.response, metadata: s.metadata });

  test('a running operation with every field set: done false, its metadata Any inlined with its @type', async () => {
    expect(fields(await status('op-a'))).toEqual({
      done: false,
      error: null,
      response: null,
      metadata: { '@type': REQUEST_INFO, requestId: 'm1' },
    });
  });

  test('a done operation with a response Any of a type we have no .proto for: kept as @type and base64 value', async () => {
    expect(await client.operation('op-b').wait({ pollInterval: 0.01 })).toEqual(UNKNOWN_ANY);
  });

  test('a failed operation: its google.rpc.Status, details as their JSON text; wait throws RunError with its code', async () => {
    expect(fields(await status('op-c'))).toEqual({
      done: true,
      response: null,
      metadata: null,
      error: { code: 9, message: 'No rows', details: [JSON.stringify({ '@type': REQUEST_INFO, requestId: 'r-9' })] },
    });
    await expect(client.operation('op-c').wait({ pollInterval: 0.01 })).rejects.toMatchObject({ name: 'RunError', code: 9 });
    expect(
      await client
        .operation('op-c')
        .wait({ pollInterval: 0.01 })
        .catch((e: unknown) => e),
    ).toBeInstanceOf(RunError);
  });

  test('an error without details: details is an empty list, as over REST', async () => {
    expect((await status('op-d')).error).toMatchObject({ code: 5, message: 'gone', details: [] });
  });

  test('both members of the oneof result, response last: the last one wins (a success)', async () => {
    expect(fields(await status('op-e'))).toEqual({ done: true, error: null, response: UNKNOWN_ANY, metadata: null });
  });

  test('both members of the oneof result, error last: the last one wins (a failure)', async () => {
    expect(fields(await status('op-f'))).toEqual({
      done: true,
      error: { code: 5, message: 'gone', details: [] },
      response: null,
      metadata: null,
    });
  });

  test.each([
    [7, 'op-g7'],
    [6, 'op-g6'],
  ])('a field with wire type %i (there is none): ApiError UNKNOWN (code 2), not a crash nor a status', async (_type, id) => {
    const error = await status(id as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 2 });
  });

  test('fields this version does not know are skipped', async () => {
    expect(fields(await status('op-h'))).toEqual({ done: true, error: null, response: UNKNOWN_ANY, metadata: null });
  });

  test('a scalar field given twice: the last value wins (id and done)', async () => {
    expect(fields(await status('op-i'))).toEqual({ done: false, error: null, response: null, metadata: null });
  });

  test('an embedded message given twice is merged (metadata in two parts)', async () => {
    expect((await status('op-j')).metadata).toEqual({ '@type': REQUEST_INFO, requestId: 'm1' });
  });

  test('NOT_FOUND with a google.rpc.Status trailer: OperationNotFoundError with its details, request id (from RequestInfo) and trace id', async () => {
    const error = (await status('op-k').catch((e: unknown) => e)) as OperationNotFoundError;
    expect(error).toBeInstanceOf(OperationNotFoundError);
    expect(error).toMatchObject({
      grpcCode: 5,
      httpStatus: null,
      rawMessage: 'Operation op-k not found',
      requestId: 'req-k',
      serverTraceId: 'trace-k',
    });
    expect(error.details).toEqual([{ '@type': REQUEST_INFO, requestId: 'req-k' }]);
  });

  test.each([
    ['a status without a code', 'bt-a', 'out of memory'],
    ['no errors at all', 'bt-b', 'the batch task is FAILED'],
  ])('a FAILED batch task with %s: RunError INTERNAL (13)', async (_what, taskId, message) => {
    const error = await client
      .batchTask(taskId!, { endpoint: server.url })
      .wait({ pollInterval: 0.01 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect(error).toMatchObject({ code: 13, errorMessage: message });
  });

  test('a failed call without a status trailer: ApiError with its code and message, its ids from the trailers, no details', async () => {
    const error = (await status('op-l').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      grpcCode: 9,
      httpStatus: null,
      rawMessage: 'wrong state',
      requestId: 'req-l',
      serverTraceId: 'trace-l',
      details: [],
    });
  });
});

// ---- REST ---------------------------------------------------------------------------------------

/** A request id and a trace id as the gateway writes them. */
const GATEWAY_HEADERS = {
  'content-type': 'application/json',
  'x-request-id': 'e38e71c3-5f1d-4b38-9a3e-0c6b1f2d7a41',
  'x-server-trace-id': '8a1f2c3d4e5f60718293a4b5c6d7e8f9',
};

/** The answers of the stand-in gateway, by operation id: status and body text as the real one sends them. */
const GATEWAY_ANSWERS: Record<string, { status: number; body: string; contentType?: string }> = {
  // The reply to a start call (wire.md): done false sent explicitly, metadata null.
  d7qi6shlbvo5running01: {
    status: 200,
    body: '{"id":"d7qi6shlbvo5running01","description":"Async GPT Completion","createdAt":"2023-11-30T18:31:32Z","createdBy":"aje2stn6id9kxxxxxxxx","modifiedAt":"2023-11-30T18:31:33Z","done":false,"metadata":null}',
  },
  // A finished completion (wire.md): int64 usage counts as strings, the response's own fields inlined beside "@type".
  d7qo21o5fj1udone0001: {
    status: 200,
    body: '{"done":true,"response":{"@type":"type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse","alternatives":[{"message":{"role":"assistant","text":"Hi"},"status":"ALTERNATIVE_STATUS_FINAL"}],"usage":{"inputTextTokens":"31","completionTokens":"10","totalTokens":"41"},"modelVersion":"18.01.2024"},"id":"d7qo21o5fj1udone0001","description":"Async GPT Completion","createdAt":"2024-05-12T18:46:54Z","createdBy":"ajes08feato8xxxxxxxx","modifiedAt":"2024-05-12T18:46:55Z"}',
  },
  d7qfailedoperation01: {
    status: 200,
    body: '{"id":"d7qfailedoperation01","description":"Dataset validation","createdAt":"2024-05-12T18:46:54Z","createdBy":"ajes08feato8xxxxxxxx","modifiedAt":"2024-05-12T18:47:10Z","done":true,"metadata":null,"error":{"code":9,"message":"Dataset has no valid rows","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"rows[0].text","description":"must not be empty"}]}]}}',
  },
  // The API's own errors: a google.rpc.Status body (wire.md), the ids in the headers.
  d7qunauthenticated01: {
    status: 401,
    body: '{"code":16,"message":"Token is invalid or has expired.","details":[{"@type":"type.googleapis.com/google.rpc.RequestInfo","requestId":"e38e71c3-5f1d-4b38-9a3e-0c6b1f2d7a41"}]}',
  },
  d7qnotfoundoperation: { status: 404, body: '{"code":5,"message":"Operation d7qnotfoundoperation not found","details":[]}' },
  d7qquotaexceeded0001: { status: 429, body: '{"code":8,"message":"Quota limit llm.completionAsync.rate exceeded","details":[]}' },
  // A gateway timeout from the balancer in front: an HTML page, no google.rpc.Status.
  d7qgatewaytimeout001: { status: 504, body: '<html><body><h1>504 Gateway Time-out</h1></body></html>', contentType: 'text/html' },
};

describe.each(FLAVOURS)("REST answers in the gateway's shape: $name flavour", (flavour) => {
  let gateway: StandIns;
  let client: ReturnType<Flavour['client']>;
  beforeAll(async () => {
    gateway = await startStandIns({
      gateway: {
        host: '127.0.0.1',
        reply: `(req) => {
          const answers = ${JSON.stringify(GATEWAY_ANSWERS)};
          const headers = ${JSON.stringify(GATEWAY_HEADERS)};
          const answer = answers[req.url.replace(/^\\/operations\\//, '')];
          if (!answer) return { status: 500, body: 'no fixture for ' + req.url };
          return { status: answer.status, headers: { ...headers, 'content-type': answer.contentType || headers['content-type'] }, body: answer.body };
        }`,
      },
    });
    client = flavour.client({ endpoint: gateway.urls.gateway, auth: { apiKey: 'AQVNtest-key-000000' }, retry: false });
  });
  afterAll(async () => {
    client.close();
    await gateway.close();
  });
  keepSdkWorker(flavour, () => gateway.urls.gateway!);

  const status = (id: string) => client.operation(id).getStatus();
  const errorOf = async (id: string) => (await status(id).catch((e: unknown) => e)) as ApiError;

  test('the reply to a start call: running, metadata null', async () => {
    const s = await status('d7qi6shlbvo5running01');
    expect({ done: s.done, isRunning: s.isRunning, metadata: s.metadata, error: s.error, response: s.response }).toEqual({
      done: false,
      isRunning: true,
      metadata: null,
      error: null,
      response: null,
    });
  });

  test('a finished completion: wait returns the response as sent, int64 counts as strings', async () => {
    expect(await client.operation('d7qo21o5fj1udone0001').wait({ pollInterval: 0.01 })).toEqual({
      '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
      alternatives: [{ message: { role: 'assistant', text: 'Hi' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
      usage: { inputTextTokens: '31', completionTokens: '10', totalTokens: '41' },
      modelVersion: '18.01.2024',
    });
  });

  test('a failed operation: its code, message and details (as their JSON text)', async () => {
    expect({ ...(await status('d7qfailedoperation01')).error }).toEqual({
      code: 9,
      message: 'Dataset has no valid rows',
      details: [
        '{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"rows[0].text","description":"must not be empty"}]}',
      ],
    });
  });

  test('HTTP 401 with a google.rpc.Status body: ApiError 16 with its message, details, and the ids of the headers', async () => {
    const error = await errorOf('d7qunauthenticated01');
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      grpcCode: 16,
      httpStatus: 401,
      rawMessage: 'Token is invalid or has expired.',
      requestId: GATEWAY_HEADERS['x-request-id'],
      serverTraceId: GATEWAY_HEADERS['x-server-trace-id'],
    });
    expect(error.details).toEqual([{ '@type': REQUEST_INFO, requestId: GATEWAY_HEADERS['x-request-id'] }]);
    expect(error.message).toContain(GATEWAY_HEADERS['x-request-id']);
  });

  test('HTTP 404: OperationNotFoundError, code 5', async () => {
    const error = await errorOf('d7qnotfoundoperation');
    expect(error).toBeInstanceOf(OperationNotFoundError);
    expect(error).toMatchObject({ grpcCode: 5, httpStatus: 404, details: [], requestId: GATEWAY_HEADERS['x-request-id'] });
  });

  test('HTTP 429: ApiError RESOURCE_EXHAUSTED (8) with the quota message', async () => {
    expect(await errorOf('d7qquotaexceeded0001')).toMatchObject({
      grpcCode: 8,
      httpStatus: 429,
      rawMessage: 'Quota limit llm.completionAsync.rate exceeded',
      details: [],
    });
  });

  test('HTTP 504 from the balancer (an HTML page, no Status body): ApiError DEADLINE_EXCEEDED (4), no details', async () => {
    const error = await errorOf('d7qgatewaytimeout001');
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 4, httpStatus: 504, serverTraceId: GATEWAY_HEADERS['x-server-trace-id'], details: [] });
    expect(error).not.toBeInstanceOf(WireDecodeError);
  });
});
