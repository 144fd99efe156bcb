/**
 * The gRPC transport against the emulator's gRPC server (real HTTP/2 on 127.0.0.1, real grpc-js,
 * real worker threads): the same operation over both protocols, the metadata of wire.md, retries,
 * deadlines, abort, close, errors with their details and without credentials, and the lazy load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AIStudioError, ApiError, AsyncOperationsClient, OperationsClient, OperationTimeoutError } from 'yc-operation';
import { type Emulator, type OperationScript, startEmulator } from 'yc-operation/testing';
import { runNode } from './helpers/child';
import { FLAVOURS_AND_PROTOCOLS, isGet } from './helpers/flavours';
import { selfSigned } from './helpers/tls';

const API_KEY = 'AQVNsecret-api-key-0123456789';
const QUICK = { initialBackoff: 0.01, maxBackoff: 0.02, jitter: 0 };
const STRUCT = 'type.googleapis.com/google.protobuf.Struct';
const AI = 'type.googleapis.com/yandex.cloud.ai';

let emu: Emulator;
let grpcUrl: string;
beforeAll(async () => {
  emu = await startEmulator({ grpc: true, apiKey: API_KEY });
  grpcUrl = emu.grpcUrl as string;
});
afterAll(() => emu.close());

const grpcClient = (options: Record<string, unknown> = {}) =>
  new AsyncOperationsClient({ endpoint: grpcUrl, auth: { apiKey: API_KEY }, protocol: 'grpc', retry: QUICK, ...options });
const requestsOf = async (id: string) => (await emu.requests()).filter((r) => r.operationId === id);

describe('one operation, two protocols', () => {
  const completion = {
    '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
    alternatives: [{ message: { role: 'assistant', text: 'Hello' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
    usage: { inputTextTokens: '31', completionTokens: '10', totalTokens: '41', completionTokensDetails: { reasoningTokens: '4' } },
    modelVersion: '18.01.2024',
  };
  const searchIndex = {
    '@type': `${AI}.assistants.v1.searchindex.SearchIndex`,
    id: 'fvtindex',
    folderId: 'b1gfolder',
    name: 'manuals',
    description: 'the manuals',
    createdBy: 'aje',
    createdAt: '2025-01-02T03:04:05.123Z',
    updatedBy: 'aje',
    updatedAt: '2025-01-02T03:04:06Z',
    expirationConfig: { expirationPolicy: 'SINCE_LAST_ACTIVE', ttlDays: '7' },
    expiresAt: '2025-01-09T03:04:06Z',
    labels: { team: 'docs' },
    hybridSearchIndex: {
      textSearchIndex: {
        chunkingStrategy: { staticStrategy: { maxChunkSizeTokens: '700', chunkOverlapTokens: '300' } },
        standardTokenizer: {},
        yandexLemmerAnalyzer: {},
      },
      vectorSearchIndex: {
        docEmbedderUri: 'emb://b1gfolder/text-search-doc/latest',
        queryEmbedderUri: 'emb://b1gfolder/text-search-query/latest',
      },
      normalizationStrategy: 'L2',
      combinationStrategy: { meanCombination: { meanEvaluationTechnique: 'GEOMETRIC', weights: [0.25, 0.75] } },
    },
  };
  const batchTask = {
    taskId: 'fvttask',
    operationId: 'fvtop',
    folderId: 'b1gfolder',
    modelUri: 'gpt://b1gfolder/yandexgpt-lite',
    sourceDatasetId: 'fdssource',
    completionRequest: {
      modelUri: 'gpt://b1gfolder/yandexgpt-lite',
      sourceDatasetId: 'fdssource',
      dataLoggingEnabled: true,
      completionOptions: { temperature: 0.3, maxTokens: '2000', reasoningOptions: { mode: 'ENABLED_HIDDEN' } },
      jsonSchema: { schema: { type: 'object', properties: { answer: { type: 'string' } } } },
    },
    status: 'COMPLETED',
    resultDatasetId: 'fdsresult',
    labels: { run: 'nightly' },
    createdBy: 'aje',
    createdAt: '2025-01-02T03:04:05Z',
    startedAt: '2025-01-02T03:04:06Z',
    finishedAt: '2025-01-02T03:14:06.500Z',
    errors: {
      status: { code: 3, message: '1 line skipped' },
      lineErrors: [{ lineNumber: '7', message: 'not JSON' }],
      batchErrors: [{ batchNumber: '1', firstLine: '1', lastLine: '100', message: 'retried once' }],
    },
  };
  const scripts: Record<string, OperationScript> = {
    'a completion with usage (int64 as strings)': { response: completion, metadata: [{ '@type': STRUCT, value: { progress: 50 } }] },
    'an image generation (bytes as base64)': {
      response: {
        '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.image_generation.ImageGenerationResponse',
        image: 'iVBORw0KGgo=',
        modelVersion: 'v1',
      },
    },
    'a web search (raw bytes)': {
      response: { '@type': 'type.googleapis.com/yandex.cloud.searchapi.v2.WebSearchResponse', rawData: 'PHhtbC8+' },
    },
    'a search index (hybrid: a map, enums, an empty oneof message, repeated doubles)': { response: searchIndex },
    'the files added to a search index': {
      response: {
        '@type': `${AI}.assistants.v1.searchindex.BatchCreateSearchIndexFileResponse`,
        files: [
          {
            id: 'fvtfile1',
            searchIndexId: 'fvtindex',
            createdBy: 'aje',
            createdAt: '2025-01-02T03:04:05Z',
            chunkingStrategy: { staticStrategy: { maxChunkSizeTokens: '800', chunkOverlapTokens: '400' } },
          },
          { id: 'fvtfile2', searchIndexId: 'fvtindex' },
        ],
      },
    },
    'a batch completion (completionBatch), its progress as metadata': {
      metadata: [
        { '@type': `${AI}.foundation_models.v1.BatchCompletionMetadata`, taskId: 'fvttask', taskStatus: 'PENDING', totalBatches: '10' },
        {
          '@type': `${AI}.foundation_models.v1.BatchCompletionMetadata`,
          taskId: 'fvttask',
          taskStatus: 'IN_PROGRESS',
          completedBatches: '3',
          totalBatches: '10',
        },
      ],
      response: {
        '@type': `${AI}.foundation_models.v1.BatchCompletionResponse`,
        taskId: 'fvttask',
        taskStatus: 'COMPLETED',
        resultDatasetId: 'fdsresult',
      },
    },
    'a batch inference task (BatchInferenceService): wrappers, a Struct, a google.rpc.Status inside': {
      metadata: [
        {
          '@type': `${AI}.batch_inference.v1.BatchInferenceMetadata`,
          taskId: 'fvttask',
          taskStatus: 'IN_PROGRESS',
          completedBatches: '3',
          totalBatches: '10',
        },
      ],
      response: { '@type': `${AI}.batch_inference.v1.BatchInferenceResponse`, task: batchTask },
    },
    'a tuning (TuningService), its steps as metadata': {
      metadata: [
        { '@type': `${AI}.tuning.v1.TuningMetadata`, tuningTaskId: 'ftntask', status: 'IN_PROGRESS', totalSteps: '100', currentStep: '42' },
      ],
      response: {
        '@type': `${AI}.tuning.v1.TuningResponse`,
        tuningTaskId: 'ftntask',
        status: 'COMPLETED',
        targetModelUri: 'gpt://b1gfolder/yandexgpt-lite/latest@tamr0',
      },
    },
    'a dataset validation (DatasetService), its rows as metadata (isValid false is a default: absent)': {
      metadata: [
        {
          '@type': `${AI}.dataset.v1.ValidateDatasetMetadata`,
          datasetId: 'fdsdata',
          validRows: '90',
          processedRows: '100',
          totalRows: '120',
        },
      ],
      response: {
        '@type': `${AI}.dataset.v1.ValidateDatasetResponse`,
        datasetId: 'fdsdata',
        errors: [{ error: 'invalid_json', errorDescription: 'a line is not JSON', rowNumbers: ['7', '9007199254740993'] }],
      },
    },
    'a response of a type with no .proto here (its URL and bytes)': {
      response: { '@type': 'type.googleapis.com/example.Unknown', value: 'CgNhYmM=' },
    },
    'a failure with details': {
      error: {
        code: 9,
        message: 'no rows',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'EMPTY', domain: 'ai', metadata: { table: 't1' } }],
      },
    },
    'an error while still running': { never: true, runningError: { code: 13, message: 'rolling back' } },
  };

  test.each(Object.entries(scripts))('%s: the same status and result', async (_, script) => {
    const id = await emu.create(script);
    const rest = new AsyncOperationsClient({ endpoint: emu.url, auth: { apiKey: API_KEY } });
    const grpc = grpcClient();
    const overRest = rest.operation(id);
    const overGrpc = grpc.operation(id);
    for (let poll = 0; poll < 2; poll++) {
      const [a, b] = [await overRest.getStatus(), await overGrpc.getStatus()];
      expect(b).toEqual(a);
      expect(String(b)).toBe(String(a));
    }
    const results = await Promise.all(
      [overRest.getResult(), overGrpc.getResult()].map((p) =>
        p.then(
          (v) => ({ v }),
          (e: Error) => ({ e: `${e.name}: ${e.message}` }),
        ),
      ),
    );
    expect(results[1]).toEqual(results[0]);
    rest.close();
    grpc.close();
  });

  test("the emulator's own search index operations (started over REST) read the same over gRPC", async () => {
    const rest = new AsyncOperationsClient({ endpoint: emu.url, auth: { apiKey: API_KEY }, folderId: 'b1gfolder' });
    const grpc = grpcClient();
    const index = await rest.createSearchIndex(
      { name: 'manuals', description: 'the manuals', fileIds: ['fvtfile1'], labels: { team: 'docs' } },
      { endpoint: emu.url },
    );
    const files = await rest.addSearchIndexFiles({ searchIndexId: 'fvtindex', fileIds: ['fvtfile1', 'fvtfile2'] }, { endpoint: emu.url });
    // Polled every 0.1 s (the default, 10 s, would sleep 10 s past their 1 s): what is read is the point here.
    const quick = { pollInterval: 0.1 };
    const [indexOverRest, filesOverRest] = await Promise.all([rest.operation(index.id).wait(quick), rest.operation(files.id).wait(quick)]);
    expect(await grpc.operation(index.id).wait(quick)).toEqual(indexOverRest);
    expect(await grpc.operation(files.id).wait(quick)).toEqual(filesOverRest);
    expect(indexOverRest).toMatchObject({
      name: 'manuals',
      labels: { team: 'docs' },
      textSearchIndex: {},
      expirationConfig: { ttlDays: '7' },
    });
    expect(filesOverRest).toMatchObject({ files: [{ id: 'fvtfile1', searchIndexId: 'fvtindex' }, { id: 'fvtfile2' }] });
    rest.close();
    grpc.close();
  });

  test('cancel over gRPC finishes the operation with CANCELLED, seen over REST too', async () => {
    const id = await emu.create({ never: true });
    const grpc = grpcClient();
    await grpc.operation(id).cancel();
    const rest = new AsyncOperationsClient({ endpoint: emu.url, auth: { apiKey: API_KEY } });
    expect(await rest.operation(id).getStatus()).toMatchObject({ isFailed: true, error: { code: 1 } });
    expect((await requestsOf(id)).map((r) => r.path)).toEqual(['/yandex.cloud.operation.OperationService/Cancel', `/operations/${id}`]);
    rest.close();
    grpc.close();
  });

  test('metadata given without "@type" travels over gRPC as a google.protobuf.Struct (documented)', async () => {
    const id = await emu.create({ never: true, metadata: [{ step: 1 }] });
    const grpc = grpcClient();
    expect((await grpc.operation(id).getStatus()).metadata).toEqual({ '@type': STRUCT, value: { step: 1 } });
    grpc.close();
  });
});

describe.each(FLAVOURS_AND_PROTOCOLS.filter((f) => f.protocol === 'grpc'))('$label', (flavour) => {
  test('metadata: authorization, one x-client-request-id and idempotency-key per call, x-retry-attempt, x-folder-id, headers', async () => {
    const id = await emu.create({ response: {}, faults: [{ grpcCode: 14, times: 2 }] });
    const client = flavour.client({
      endpoint: grpcUrl,
      auth: { apiKey: API_KEY },
      folderId: 'b1gfolder',
      headers: { 'X-Extra': 'on', 'X-Retry-Attempt': '9', 'Idempotency-Key': 'mine' }, // the call's own ids are not the option's
      retry: QUICK,
    });
    expect(await client.operation(id).getResult()).toEqual({ '@type': STRUCT, value: {} });
    client.close();
    const calls = await requestsOf(id);
    expect(calls).toHaveLength(3);
    for (const { headers } of calls) {
      expect(headers).toMatchObject({
        authorization: `Api-Key ${API_KEY}`,
        'x-folder-id': 'b1gfolder',
        'x-extra': 'on',
        'content-type': 'application/grpc',
      });
      expect(headers['user-agent']).toMatch(/^yc-operation\/\S+ \(node v\d+/);
      expect(headers['grpc-timeout']).toMatch(/^\d+[mu]$/);
    }
    expect(new Set(calls.map((c) => c.headers['x-client-request-id'])).size).toBe(1);
    expect(new Set(calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
    expect(calls[0]!.headers['idempotency-key']).not.toBe('mine');
    expect(calls.map((c) => c.headers['x-retry-attempt'])).toEqual([undefined, '1', '2']);
  });

  test("no answer within the call's timeout: ApiError DEADLINE_EXCEEDED without an HTTP status", async () => {
    const id = await emu.create({ faults: [{}, { hang: true }] });
    const client = flavour.client({ endpoint: grpcUrl, auth: { apiKey: API_KEY }, retry: QUICK });
    await client.operation(id).getStatus(); // grpc-js is loaded at a client's first call, within its timeout
    const error = await client
      .operation(id)
      .getStatus({ timeout: 0.3 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 4, httpStatus: null, attempts: 1 });
    expect((error as Error).message).toMatch(/^no answer within the call's timeout of 0\.[23]\d* s/); // 0.3 s, less the worker's hop under load
  });

  test("the server's own DEADLINE_EXCEEDED is an ordinary error: not retried, not taken for the wait's deadline", async () => {
    const id = await emu.create({ never: true, faults: [{ grpcCode: 4, message: 'backend too slow' }] });
    const client = flavour.client({ endpoint: grpcUrl, auth: { apiKey: API_KEY }, retry: QUICK });
    const error = await client
      .operation(id)
      .wait({ pollTimeout: 30 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).not.toBeInstanceOf(OperationTimeoutError);
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 4, rawMessage: 'backend too slow', attempts: 1 });
    expect((await requestsOf(id)).filter(isGet)).toHaveLength(1);
  });

  test('an error names its code, message, details and request ids, and never the credentials the server echoed', async () => {
    const id = await emu.create({ faults: [{ grpcCode: 9, message: `key Api-Key ${API_KEY} is not allowed here` }] });
    const client = flavour.client({ endpoint: grpcUrl, auth: { apiKey: API_KEY }, retry: QUICK });
    const error = (await client
      .operation(id)
      .getStatus()
      .catch((e: unknown) => e)) as ApiError;
    client.close();
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 9, httpStatus: null, attempts: 1 });
    expect(error.details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: error.requestId }]);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.serverTraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(error.message).toContain(`request id ${error.requestId}`);
    expect(error.rawMessage).toBe('key <redacted> is not allowed here');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(API_KEY.slice(6));
  });

  test('wrong credentials: UNAUTHENTICATED naming the kind of credentials, not the secret', async () => {
    const id = await emu.create({});
    const client = flavour.client({ endpoint: grpcUrl, auth: { apiKey: 'wrong-key-42' }, retry: QUICK });
    const error = (await client
      .operation(id)
      .getStatus()
      .catch((e: unknown) => e)) as ApiError;
    client.close();
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 16, authProvider: 'api-key' });
    expect(error.message).toContain('auth: api-key');
    expect(error.message).not.toContain('wrong-key-42');
  });
});

describe('wait_for_ready', () => {
  test('a server that is not there is waited for until the deadline, not refused at once', async () => {
    const client = new AsyncOperationsClient({ endpoint: 'http://127.0.0.1:9', auth: null, protocol: 'grpc', retry: false });
    const started = Date.now();
    const error = await client
      .operation('nobody00000000000000')
      .getStatus({ timeout: 0.5 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toMatchObject({ name: 'ApiError', grpcCode: 4, httpStatus: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});

describe('abort and close (promise flavour)', () => {
  test('an abort cancels the call in flight and rejects with the reason', async () => {
    const id = await emu.create({ faults: [{ hang: true }] });
    const client = grpcClient();
    const controller = new AbortController();
    const reason = new Error('user stopped');
    const call = client
      .operation(id)
      .getStatus({ timeout: 30, signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(async () => (await requestsOf(id)).length).toBe(1);
    const started = Date.now();
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(Date.now() - started).toBeLessThan(5000); // bounded, not a speed claim
    client.close();
  });

  test('close() fails the calls in flight and later ones', async () => {
    const id = await emu.create({ faults: [{ hang: true }] });
    const client = grpcClient();
    const call = client
      .operation(id)
      .getStatus({ timeout: 30 })
      .catch((e: unknown) => e);
    await expect.poll(async () => (await requestsOf(id)).length).toBe(1);
    client.close();
    expect(await call).toBeInstanceOf(AIStudioError);
    expect(String(await call)).toMatch(/is closed/);
    await expect(client.operation(id).getStatus()).rejects.toThrow(/is closed/);
  });

  test('a start call is REST only: refused over gRPC with a clear error, before any request', async () => {
    await emu.clearRequests();
    const client = grpcClient();
    const error = await client
      .completionAsync({ modelUri: 'gpt://b1g/yandexgpt-lite', messages: [{ role: 'user', text: 'hi' }] }, { endpoint: emu.url })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/over REST only/);
    expect(await emu.requests()).toEqual([]);
  });
});

describe('TLS', () => {
  test('a server whose certificate the extra CA (ca option) signed is trusted; without it, it is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yc-tls-'));
    const { key, cert } = selfSigned(dir, 'server', 'IP:127.0.0.1', '127.0.0.1');
    const server = createSecureServer({ key, cert });
    let streams = 0;
    server.on('stream', (stream) => {
      streams++;
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'reached over TLS' },
        { endStream: true },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const trusting = new AsyncOperationsClient({ endpoint, auth: null, protocol: 'grpc', retry: false, ca: cert });
      expect(
        await trusting
          .operation('tls00000000000000000')
          .getStatus({ timeout: 10 })
          .catch((e: unknown) => e),
      ).toMatchObject({ grpcCode: 5, rawMessage: 'reached over TLS' });
      trusting.close();
      const untrusting = new AsyncOperationsClient({ endpoint, auth: null, protocol: 'grpc', retry: false });
      expect(
        await untrusting
          .operation('tls00000000000000000')
          .getStatus({ timeout: 1 })
          .catch((e: unknown) => e),
      ).toMatchObject({ grpcCode: 4 });
      untrusting.close();
      expect(streams).toBe(1);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TLS to an IP address', () => {
  test('an https://<IP> endpoint: no DEP0123 warning (no TLS server name is set to an IP), the certificate still checked against the IP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yc-tls-'));
    const right = selfSigned(dir, 'right', 'IP:127.0.0.1');
    const other = selfSigned(dir, 'other', 'IP:10.1.2.3'); // trusted, but for another address
    const answer = (server: ReturnType<typeof createSecureServer>) =>
      server.on('stream', (stream) =>
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'reached over TLS' },
          { endStream: true },
        ),
      );
    const rightServer = answer(createSecureServer({ key: right.key, cert: right.cert }));
    const wrongServer = answer(createSecureServer({ key: other.key, cert: other.cert }));
    await Promise.all([rightServer, wrongServer].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    const url = (server: typeof rightServer) => `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { stdout, stderr, code } = await runNode(
        [
          '-e',
          `
        const sdk = require('./dist/index.cjs');
        const fs = require('node:fs');
        const call = async (endpoint, ca) => {
          const client = new sdk.AsyncOperationsClient({ endpoint, auth: null, protocol: 'grpc', retry: false, ca: fs.readFileSync(ca, 'utf8') });
          const error = await client.operation('tls00000000000000000').getStatus({ timeout: 2 }).catch((e) => e);
          client.close();
          return error.grpcCode + ' ' + error.rawMessage;
        };
        (async () => {
          console.log('RIGHT ' + await call(process.env.RIGHT, process.env.RIGHT_CA));
          console.log('WRONG ' + await call(process.env.WRONG, process.env.WRONG_CA));
        })();
      `,
        ],
        { RIGHT: url(rightServer), RIGHT_CA: right.certFile, WRONG: url(wrongServer), WRONG_CA: other.certFile, NODE_OPTIONS: '' },
      );
      expect(stderr).not.toContain('DEP0123');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('RIGHT 5 reached over TLS');
      expect(stdout).toMatch(/WRONG 4 /); // its certificate is for 10.1.2.3: never connected, until the deadline
    } finally {
      rightServer.close();
      wrongServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('options', () => {
  test('protocol and ca are checked before any request', () => {
    expect(() => new AsyncOperationsClient({ protocol: 'http2' as never })).toThrow(/protocol must be 'rest' or 'grpc', got "http2"/);
    expect(() => new OperationsClient({ protocol: 3 as never })).toThrow(TypeError);
    expect(() => new AsyncOperationsClient({ protocol: 'grpc', ca: 42 as never })).toThrow(/ca must be a non-empty PEM string or Buffer/);
    expect(() => new AsyncOperationsClient({ protocol: 'grpc', endpoint: 'http://10.0.0.1:50051' })).toThrow(
      /plain http to a non-loopback host/,
    );
  });

  test("the emulator's gRPC options are checked", async () => {
    await expect(startEmulator({ grpc: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(startEmulator({ grpc: true, grpcPort: 70_000 })).rejects.toThrow(RangeError);
  });
});

describe('lazy loading', () => {
  test('importing the package loads neither grpc-js nor protobufjs; a gRPC client loads them at its first call', async () => {
    const { stdout, stderr, code } = await runNode(
      [
        '-e',
        `
      const sdk = require('./dist/index.cjs');
      const loaded = () => Object.keys(require.cache).filter((f) => /@grpc|protobufjs/.test(f)).length > 0;
      console.log('AFTER IMPORT ' + loaded());
      const client = new sdk.AsyncOperationsClient({ endpoint: process.env.GRPC, auth: null, protocol: 'grpc', retry: false });
      console.log('AFTER CLIENT ' + loaded());
      client.operation('nope00000000000000000').getStatus().catch((e) => e).then((e) => {
        console.log('AFTER CALL ' + loaded() + ' ' + e.grpcCode);
        client.close();
      });
    `,
      ],
      { GRPC: grpcUrl },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('AFTER IMPORT false');
    expect(stdout).toContain('AFTER CLIENT false');
    expect(stdout).toContain('AFTER CALL true 16'); // the emulator wants credentials
  });

  test('the descriptor is compiled from the .proto files as they are', async () => {
    const { code, stderr } = await runNode(['scripts/proto.mjs', '--check']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('endpoint discovery (discoverEndpoints: true)', () => {
  test.each(FLAVOURS_AND_PROTOCOLS.filter((f) => f.protocol === 'grpc'))(
    '$label: ApiEndpointService.List on YC_API_ENDPOINT, sent with no credential, gives the address that is then called',
    async (flavour) => {
      const before = process.env.YC_API_ENDPOINT;
      process.env.YC_API_ENDPOINT = grpcUrl; // the emulator's list points every id at itself
      try {
        const id = await emu.create({ response: { '@type': STRUCT, value: { ok: true } } });
        await emu.clearRequests();
        const client = flavour.client({ auth: { apiKey: API_KEY }, discoverEndpoints: true, retry: QUICK }); // endpoint: 'operation'
        expect(await client.operation(id).getResult()).toEqual({ '@type': STRUCT, value: { ok: true } });
        await client.operation(id).getStatus();
        client.close();
        const requests = await emu.requests();
        expect(requests.map((r) => r.path)).toEqual([
          '/yandex.cloud.endpoint.ApiEndpointService/List',
          '/yandex.cloud.operation.OperationService/Get',
          '/yandex.cloud.operation.OperationService/Get',
        ]);
        // The list is sent as the reference sends it (auth_required=False): no credential, a request id of its own.
        const [list, get] = requests;
        expect(list!.headers.authorization).toBeUndefined();
        expect(list!.headers['x-client-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(get!.headers.authorization).toBe(`Api-Key ${API_KEY}`);
        expect(get!.headers['x-client-request-id']).not.toBe(list!.headers['x-client-request-id']);
      } finally {
        if (before === undefined) delete process.env.YC_API_ENDPOINT;
        else process.env.YC_API_ENDPOINT = before;
      }
    },
  );

  test('it needs gRPC and a short-name endpoint', () => {
    expect(() => new AsyncOperationsClient({ discoverEndpoints: true })).toThrow(/needs protocol: 'grpc'/);
    expect(() => new AsyncOperationsClient({ protocol: 'grpc', discoverEndpoints: true, endpoint: 'https://example.com' })).toThrow(
      /needs endpoint operation or llm/,
    );
  });
});

test('the CLI takes --protocol grpc', async () => {
  const id = await emu.create({ donePolls: 1 });
  const { stdout, code } = await runNode([
    'dist/cli/main.js',
    '--endpoint',
    grpcUrl,
    '--api-key',
    API_KEY,
    '--protocol',
    'grpc',
    'wait',
    id,
    '--poll-interval',
    '0.1',
  ]);
  expect(code).toBe(0);
  expect(stdout).toMatch(new RegExp(`Operation ${id}: success`));
  expect((await requestsOf(id)).map((r) => r.path)).toEqual(['/yandex.cloud.operation.OperationService/Get']);
});
