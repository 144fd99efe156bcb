/**
 * The test kit's emulator (`yc-operation/testing`), tested from the outside with plain `fetch`
 * and `node:http`, against the build. Tests of operations, faults and the request log share one
 * emulator (its log cleared for each); those of its options, connections and lifecycle start their
 * own and close it. Time-based checks only bound delays from below or with generous margins: the
 * machine is small and noisy.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { Agent, type IncomingMessage, request } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { DONE_AFTER_HEADER, type Emulator, type EmulatorOptions, GrpcCode, startEmulator } from 'yc-operation/testing';

const REQUEST_INFO = 'type.googleapis.com/google.rpc.RequestInfo';
const EMPTY = { '@type': 'type.googleapis.com/google.protobuf.Empty' };

/** Starts an emulator that the current test closes when it finishes. */
async function fresh(options?: EmulatorOptions): Promise<Emulator> {
  const emu = await startEmulator(options);
  onTestFinished(() => emu.close());
  return emu;
}

let sharedEmulator: Promise<Emulator> | null = null;
afterAll(async () => {
  if (sharedEmulator) await (await sharedEmulator).close();
});

/** The file's shared emulator (default options), its request log cleared; a fresh one when given options. */
async function emulator(options?: EmulatorOptions): Promise<Emulator> {
  if (options !== undefined) return fresh(options);
  sharedEmulator ??= startEmulator();
  const emu = await sharedEmulator;
  await emu.clearRequests();
  return emu;
}

/** The fields of an answer's JSON that these tests read: an operation's, or an error's `message` and `details`. */
interface Body {
  id: string;
  done: boolean;
  createdAt: string;
  modifiedAt: string;
  metadata: { step?: string } | null;
  message: string;
  details: unknown;
}

interface Answer {
  status: number;
  headers: Headers;
  body: Body;
}

/** A request whose answer is read as JSON. */
async function call(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

function poll(emu: Emulator, id: string, init?: RequestInit): Promise<Answer> {
  return call(`${emu.url}/operations/${id}`, init);
}

function cancel(emu: Emulator, id: string, method: 'GET' | 'POST' = 'GET'): Promise<Answer> {
  return call(`${emu.url}/operations/${id}:cancel`, { method });
}

/** Asserts a google.rpc.Status error body whose RequestInfo repeats the x-request-id header. */
function expectRpcError(answer: Answer, status: number, code: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.body).toMatchObject({ code, message: expect.any(String) });
  expect(answer.body.details).toEqual([{ '@type': REQUEST_INFO, requestId: answer.headers.get('x-request-id') }]);
}

describe('operations', () => {
  it('an operation is done on the donePolls-th poll and not before', async () => {
    const emu = await emulator();
    const id = await emu.create({ donePolls: 3, description: 'three polls' });
    expect(id).toMatch(/^[a-z0-9]{20}$/);

    const first = await poll(emu, id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      id,
      description: 'three polls',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      createdBy: expect.stringMatching(/^[a-z0-9]{20}$/),
      modifiedAt: expect.any(String),
      done: false,
      metadata: null,
    });
    expect((await poll(emu, id)).body.done).toBe(false);
    const third = await poll(emu, id);
    expect(third.body).toMatchObject({ done: true, response: EMPTY });
    expect(third.body).not.toHaveProperty('error');
    expect(Date.parse(third.body.modifiedAt)).toBeGreaterThanOrEqual(Date.parse(third.body.createdAt));
  });

  it('an operation without a script is done on the first poll with an empty response', async () => {
    const emu = await emulator();
    const id = await emu.create();
    expect((await poll(emu, id)).body).toMatchObject({ done: true, response: EMPTY });
  });

  it('a timed operation is done doneAfter seconds after its creation however often it is polled', async () => {
    const emu = await emulator();
    const id = await emu.create({ doneAfter: 1, response: { '@type': 'x.Result', value: 42 } });
    const running = await poll(emu, id);
    expect(running.body.done).toBe(false);

    await sleep(1_100);
    const done = await poll(emu, id);
    expect(done.body).toMatchObject({ done: true, response: { '@type': 'x.Result', value: 42 } });
    expect(Date.parse(done.body.modifiedAt) - Date.parse(done.body.createdAt)).toBe(1_000);
  });

  it('metadata moves one entry per poll and then repeats the last one', async () => {
    const emu = await emulator();
    const id = await emu.create({ never: true, metadata: [{ step: 'a' }, { step: 'b' }, { step: 'c' }] });
    const seen = [];
    for (let i = 0; i < 4; i += 1) seen.push((await poll(emu, id)).body);
    expect(seen.map((body) => body.metadata?.step)).toEqual(['a', 'b', 'c', 'c']);
    expect(seen.every((body) => body.done === false)).toBe(true);
  });

  it('a timed operation shows its first metadata entry at the start and its last once done', async () => {
    const emu = await emulator();
    const id = await emu.create({ doneAfter: 0.6, metadata: [{ step: 'a' }, { step: 'b' }, { step: 'c' }] });
    expect((await poll(emu, id)).body.metadata).toEqual({ step: 'a' });
    await sleep(700);
    expect((await poll(emu, id)).body).toMatchObject({ done: true, metadata: { step: 'c' } });
  });

  it('a failing operation finishes with its error and no response', async () => {
    const emu = await emulator();
    const error = { code: 9, message: 'quota', details: [{ '@type': 'x.Detail', why: 'because' }] };
    const id = await emu.create({ error });
    const { body } = await poll(emu, id);
    expect(body).toMatchObject({ done: true, error });
    expect(body).not.toHaveProperty('response');
  });

  it('an operation may finish with neither a response nor an error', async () => {
    const emu = await emulator();
    const id = await emu.create({ neither: true });
    const { body } = await poll(emu, id);
    expect(body.done).toBe(true);
    expect(body).not.toHaveProperty('response');
    expect(body).not.toHaveProperty('error');
  });

  it('a running error shows while done is false and stays as the final error', async () => {
    const emu = await emulator();
    const runningError = { code: 13, message: 'rolling back' };
    const id = await emu.create({ donePolls: 2, runningError });
    expect((await poll(emu, id)).body).toMatchObject({ done: false, error: runningError });
    const done = (await poll(emu, id)).body;
    expect(done).toMatchObject({ done: true, error: runningError });
    expect(done).not.toHaveProperty('response');
  });

  it('cancel finishes a running operation with code 1, by GET or POST, and leaves it so', async () => {
    const emu = await emulator();
    const byGet = await emu.create({ never: true });
    const byPost = await emu.create({ never: true });

    const cancelled = await cancel(emu, byGet);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: byGet, done: true, error: { code: 1, message: 'Operation cancelled' } });
    expect((await cancel(emu, byPost, 'POST')).body).toMatchObject({ done: true, error: { code: 1 } });
    expect((await poll(emu, byGet)).body).toEqual(cancelled.body);
  });

  it('cancel returns a finished operation unchanged', async () => {
    const emu = await emulator();
    const id = await emu.create();
    const done = (await poll(emu, id)).body;
    expect((await cancel(emu, id)).body).toEqual(done);
  });

  it('a faulted cancel does not cancel', async () => {
    const emu = await emulator();
    const id = await emu.create({ never: true, faults: [{ status: 503 }] });
    expectRpcError(await cancel(emu, id), 503, GrpcCode.UNAVAILABLE);
    expect((await poll(emu, id)).body.done).toBe(false);
    expect((await cancel(emu, id)).body).toMatchObject({ done: true, error: { code: 1 } });
  });

  it('an unknown operation is a 404 with code 5 that names it', async () => {
    const emu = await emulator();
    const answer = await poll(emu, 'nosuchoperation00000');
    expectRpcError(answer, 404, GrpcCode.NOT_FOUND);
    expect(answer.body.message).toBe('Operation nosuchoperation00000 not found');
    expect(answer.headers.get('x-server-trace-id')).toMatch(/^[0-9a-f]+$/);
    expectRpcError(await cancel(emu, 'nosuchoperation00000'), 404, GrpcCode.NOT_FOUND);
  });

  it('unknown routes are 404 and known routes with another method are 405', async () => {
    const emu = await emulator();
    const id = await emu.create();
    expectRpcError(await call(`${emu.url}/v1/nothing`), 404, GrpcCode.NOT_FOUND);
    const wrongMethod = await poll(emu, id, { method: 'DELETE' });
    expectRpcError(wrongMethod, 405, GrpcCode.UNIMPLEMENTED);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('the operation id in the path is percent-decoded', async () => {
    const emu = await emulator();
    const id = await emu.create();
    const encoded = `%${id.charCodeAt(0).toString(16)}${id.slice(1)}`;
    expect((await poll(emu, encoded)).body.id).toBe(id);
    expect((await emu.requests())[0]).toMatchObject({ path: `/operations/${encoded}`, operationId: id });
  });

  it('create rejects an invalid script and names the field', async () => {
    const emu = await emulator();
    await expect(emu.create({ donePolls: 0 })).rejects.toThrow(RangeError);
    await expect(emu.create({ donePolls: 2, doneAfter: 1 })).rejects.toThrow(/donePolls.*doneAfter/);
    await expect(emu.create({ faults: [{ hang: true, status: 503 }] })).rejects.toThrow(/faults\[0\]/);
    await expect(emu.create({ donPolls: 1 } as never)).rejects.toThrow(TypeError);
  });
});

describe('faults', () => {
  it('a status fault answers a google.rpc.Status with the mapped code and Retry-After, and does not advance the operation', async () => {
    const emu = await emulator();
    const id = await emu.create({
      donePolls: 1,
      faults: [{ status: 503, retryAfter: '2' }, { status: 429, grpcCode: 14, message: 'slow down' }, { grpcCode: 8 }],
    });

    const unavailable = await poll(emu, id);
    expectRpcError(unavailable, 503, GrpcCode.UNAVAILABLE);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    const explicit = await poll(emu, id);
    expectRpcError(explicit, 429, GrpcCode.UNAVAILABLE);
    expect(explicit.body.message).toBe('slow down');
    expectRpcError(await poll(emu, id), 429, GrpcCode.RESOURCE_EXHAUSTED);
    expect((await poll(emu, id)).body.done).toBe(true);
  });

  it('a fault applies to `times` requests in a row, and an empty fault lets a request through', async () => {
    const emu = await emulator();
    const id = await emu.create({ never: true, faults: [{}, { status: 500, times: 2 }] });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await fetch(`${emu.url}/operations/${id}`)).status);
    expect(statuses).toEqual([200, 500, 500, 200]);
  });

  it('a body fault sends the raw body with its content type and Retry-After as given', async () => {
    const emu = await emulator();
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const id = await emu.create({ faults: [{ status: 502, body: html, contentType: 'text/html', retryAfter: date }] });
    const response = await fetch(`${emu.url}/operations/${id}`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('retry-after')).toBe(date);
    expect(await response.text()).toBe(html);
  });

  it('a latency fault gives a correct answer after the delay, which advances the operation', async () => {
    const emu = await emulator();
    const id = await emu.create({ faults: [{ latency: 0.3 }] });
    const started = performance.now();
    const answer = await poll(emu, id);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.body.done).toBe(true);
  });

  it('a latency fault delays an error answer too', async () => {
    const emu = await emulator();
    const id = await emu.create({ faults: [{ latency: 0.2, status: 504 }] });
    const started = performance.now();
    expectRpcError(await poll(emu, id), 504, GrpcCode.DEADLINE_EXCEEDED);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('a reset before the response fails the request without any status', async () => {
    const emu = await emulator();
    const id = await emu.create({ faults: [{ reset: 'before-response' }] });
    await expect(fetch(`${emu.url}/operations/${id}`)).rejects.toThrow(TypeError);
    expect((await poll(emu, id)).body.done).toBe(true);
  });

  it('a reset mid-response delivers the headers and part of the body, then fails', async () => {
    const emu = await emulator();
    const id = await emu.create({ faults: [{ reset: 'mid-response' }] });
    const response = await fetch(`${emu.url}/operations/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    await expect(response.text()).rejects.toThrow();
    expect((await poll(emu, id)).body.done).toBe(true);
  });

  it('a hanging request is never answered, so the client times out, and the next request is answered', async () => {
    const emu = await emulator();
    const id = await emu.create({ donePolls: 1, faults: [{ hang: true }] });
    await expect(fetch(`${emu.url}/operations/${id}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow(
      expect.objectContaining({ name: 'TimeoutError' }),
    );
    expect((await poll(emu, id)).body.done).toBe(true);
  });

  it('a hanging request is cut off by close', async () => {
    const emu = await startEmulator();
    const id = await emu.create({ faults: [{ hang: true }] });
    const hanging = fetch(`${emu.url}/operations/${id}`).then(
      () => expect.unreachable('answered'),
      (e: unknown) => e as TypeError & { cause?: { code?: string } },
    );
    // The request reached the server and hangs there (not refused by a server already closed).
    while (!(await emu.requests()).some((r) => r.fault === 'hang')) await sleep(10);
    await emu.close();
    const error = await hanging;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause?.code).toBe('UND_ERR_SOCKET'); // the open connection was closed, not refused
  });

  it('a malformed answer is a 200 whose body is truncated JSON, and does not advance the operation', async () => {
    const emu = await emulator();
    const id = await emu.create({ donePolls: 1, faults: [{ malformed: true }] });
    const response = await fetch(`${emu.url}/operations/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(text.startsWith('{"id":')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect((await poll(emu, id)).body.done).toBe(true);
  });
});

describe('credentials', () => {
  it('with credentials expected, a request without Authorization or with a wrong one gets 401 with code 16', async () => {
    const emu = await emulator({ apiKey: 'secret-key' });
    const id = await emu.create();
    expectRpcError(await poll(emu, id), 401, GrpcCode.UNAUTHENTICATED);
    const wrong = await poll(emu, id, { headers: { authorization: 'Api-Key other' } });
    expectRpcError(wrong, 401, GrpcCode.UNAUTHENTICATED);
    expect((await poll(emu, id, { headers: { authorization: 'Bearer secret-key' } })).status).toBe(401);
  });

  it('the expected API key or IAM token is accepted', async () => {
    const emu = await emulator({ apiKey: 'secret-key', iamToken: 't1.token' });
    const id = await emu.create({ never: true });
    expect((await poll(emu, id, { headers: { authorization: 'Api-Key secret-key' } })).status).toBe(200);
    expect((await poll(emu, id, { headers: { authorization: 'Bearer t1.token' } })).status).toBe(200);
  });

  it('without credentials expected, any request is accepted', async () => {
    const emu = await emulator();
    const id = await emu.create();
    expect((await poll(emu, id, { headers: { authorization: 'Bearer anything' } })).status).toBe(200);
  });
});

describe('request log', () => {
  it('records every request in order with its lower-cased headers and its fault', async () => {
    const emu = await emulator();
    const id = await emu.create({ faults: [{ status: 503, retryAfter: '1' }] });
    const before = Date.now();
    await fetch(`${emu.url}/operations/${id}`, { headers: { 'X-Client-Request-Id': 'first', 'Idempotency-Key': 'k1' } });
    await fetch(`${emu.url}/operations/${id}:cancel`, { method: 'POST', headers: { 'x-client-request-id': 'second' } });
    await fetch(`${emu.url}/elsewhere?x=1`);

    const log = await emu.requests();
    expect(log).toMatchObject([
      { method: 'GET', path: `/operations/${id}`, operationId: id, fault: 'status 503, retry-after 1' },
      { method: 'POST', path: `/operations/${id}:cancel`, operationId: id, fault: null },
      { method: 'GET', path: '/elsewhere?x=1', operationId: null, fault: null },
    ]);
    expect(log[0]?.headers).toMatchObject({ 'x-client-request-id': 'first', 'idempotency-key': 'k1' });
    expect(log[1]?.headers['x-client-request-id']).toBe('second');
    expect(log[0]?.at).toBeGreaterThanOrEqual(before - 5);
  });

  it('clearRequests empties the log', async () => {
    const emu = await emulator();
    const id = await emu.create();
    await poll(emu, id);
    await emu.clearRequests();
    expect(await emu.requests()).toEqual([]);
    await poll(emu, id);
    expect(await emu.requests()).toHaveLength(1);
  });

  it('keeps only the latest requestLogLimit requests', async () => {
    const emu = await emulator({ requestLogLimit: 3 });
    for (let i = 0; i < 5; i += 1) await fetch(`${emu.url}/operations/op${i}`);
    expect((await emu.requests()).map((entry) => entry.operationId)).toEqual(['op2', 'op3', 'op4']);
  });
});

describe('connections', () => {
  /** One GET through `agent`, resolved with the response and the socket it used. */
  async function get(agent: Agent, url: string): Promise<{ response: IncomingMessage; body: string; socket: Socket }> {
    const req = request(url, { agent });
    const [socket] = (await once(req, 'socket')) as [Socket];
    req.end();
    const [response] = (await once(req, 'response')) as [IncomingMessage];
    let body = '';
    for await (const chunk of response) body += chunk;
    return { response, body, socket };
  }

  it('dropIdleConnections closes the pooled keep-alive sockets, so the next request uses a new one', async () => {
    const emu = await fresh();
    const id = await emu.create({ never: true });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    onTestFinished(() => agent.destroy());

    const first = await get(agent, `${emu.url}/operations/${id}`);
    expect(first.socket.destroyed).toBe(false);
    const closed = once(first.socket, 'close');
    await emu.dropIdleConnections();
    await closed;

    const second = await get(agent, `${emu.url}/operations/${id}`);
    expect(second.response.statusCode).toBe(200);
    expect(second.socket).not.toBe(first.socket);
  });

  it('restart listens again on the same port, closes old sockets and keeps the operations and their progress', async () => {
    const emu = await fresh();
    const url = emu.url;
    const id = await emu.create({ donePolls: 2 });
    const agent = new Agent({ keepAlive: true });
    onTestFinished(() => agent.destroy());
    const first = await get(agent, `${url}/operations/${id}`);
    expect(JSON.parse(first.body).done).toBe(false);

    const closed = once(first.socket, 'close');
    await emu.restart();
    await closed;
    expect(emu.url).toBe(url);
    expect((await poll(emu, id)).body.done).toBe(true);
  });

  it('Symbol.asyncDispose closes it, as `await using` does at the end of its block', async () => {
    const emu = await startEmulator();
    const id = await emu.create();
    expect(Symbol.asyncDispose).toBe(Symbol.for('nodejs.asyncDispose'));
    await emu[Symbol.asyncDispose]();
    await expect(fetch(`${emu.url}/operations/${id}`)).rejects.toThrow(TypeError);
    await expect(emu.create()).rejects.toThrow('The emulator is closed');
    await emu[Symbol.asyncDispose]();
  });

  it('the server keeps answering while the caller thread is blocked', async () => {
    const emu = await fresh();
    const id = await emu.create();
    const script = `fetch(${JSON.stringify(`${emu.url}/operations/${id}`)}).then((r) => r.text()).then((t) => process.stdout.write(t))`;
    // execFileSync blocks this thread until the child process has its answer from the emulator.
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(output)).toMatchObject({ id, done: true });
  });
});

describe('completionAsync', () => {
  const completionUrl = (emu: Emulator) => `${emu.url}/foundationModels/v1/completionAsync`;
  const completionRequest = {
    modelUri: 'gpt://b1gexample/yandexgpt-lite',
    completionOptions: { temperature: 0.3, maxTokens: '100' },
    messages: [
      { role: 'system', text: 'You are an echo' },
      { role: 'user', text: 'hello there' },
    ],
  };

  it('answers a running operation that finishes with an echo of the last user message', async () => {
    const emu = await emulator();
    const started = await call(completionUrl(emu), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [DONE_AFTER_HEADER]: '0.2' },
      body: JSON.stringify(completionRequest),
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ description: 'Async GPT Completion', done: false, metadata: null });
    expect(started.body.id).toMatch(/^[a-z0-9]{20}$/);

    await sleep(300);
    const { body } = await poll(emu, started.body.id);
    expect(body).toMatchObject({
      done: true,
      response: {
        '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
        alternatives: [{ message: { role: 'assistant', text: 'hello there' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
        usage: { inputTextTokens: '6', completionTokens: '2', totalTokens: '8' },
        modelVersion: expect.any(String),
      },
    });
    expect((await emu.requests())[0]).toMatchObject({ method: 'POST', operationId: started.body.id });
  });

  it('finishes one second after its creation by default', async () => {
    const emu = await emulator();
    const started = await call(completionUrl(emu), { method: 'POST', body: JSON.stringify(completionRequest) });
    await sleep(1_100);
    const { body } = await poll(emu, started.body.id);
    expect(body.done).toBe(true);
    expect(Date.parse(body.modifiedAt) - Date.parse(body.createdAt)).toBe(1_000);
  });

  it('rejects an invalid body with 400 and code 3', async () => {
    const emu = await emulator();
    const post = (body: string) => call(completionUrl(emu), { method: 'POST', body });
    expectRpcError(await post('not json'), 400, GrpcCode.INVALID_ARGUMENT);
    expectRpcError(await post(JSON.stringify({ messages: [{ role: 'user', text: 'hi' }] })), 400, 3);
    expectRpcError(await post(JSON.stringify({ ...completionRequest, messages: [] })), 400, 3);
    expectRpcError(await post(JSON.stringify({ ...completionRequest, messages: [{ role: 'user' }] })), 400, 3);
  });
});

describe('startEmulator', () => {
  it('listens on the port asked for', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    const emu = await fresh({ port });
    expect(emu.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('rejects a port already in use', async () => {
    const emu = await fresh();
    const port = Number(new URL(emu.url).port);
    await expect(startEmulator({ port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('rejects invalid options, naming them', async () => {
    await expect(startEmulator({ port: -1 })).rejects.toThrow(/options\.port/);
    await expect(startEmulator({ apiKey: '' })).rejects.toThrow(/options\.apiKey/);
  });

  it('close is idempotent and later calls reject', async () => {
    const emu = await startEmulator();
    await Promise.all([emu.close(), emu.close()]);
    await emu.close();
    await expect(emu.create()).rejects.toThrow(/closed/);
    await expect(fetch(emu.url)).rejects.toThrow(TypeError);
  });
});
