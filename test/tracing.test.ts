/**
 * Tracing (src/transport/tracing.ts): a diagnostics_channel event at the start and the end (or
 * error) of each attempt, with the operation id, the attempt, the duration, and no secret; and the
 * recipe of docs/guide-tracing.md that turns them into OpenTelemetry spans, checked with an in-memory exporter.
 */
import diagnostics from 'node:diagnostics_channel';
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AsyncOperationsClient, OperationsClient, type RequestErrorTrace, type RequestTrace, TRACE_CHANNELS } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';

const KEY = 'tracing-secret-api-key-42';
const QUICK = { initialBackoff: 0.01, maxBackoff: 0.02, jitter: 0 };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: KEY });
});
afterAll(() => emu.close());

/** Every event published while `run` runs, by channel. */
async function recording(run: () => Promise<unknown> | unknown) {
  const events: Array<[string, RequestTrace]> = [];
  const listeners = Object.values(TRACE_CHANNELS).map((name) => {
    const listener = (message: unknown) => void events.push([name, message as RequestTrace]);
    diagnostics.subscribe(name, listener);
    return () => diagnostics.unsubscribe(name, listener);
  });
  try {
    await run();
  } finally {
    for (const stop of listeners) stop();
  }
  return events;
}

describe.each([
  ['async', () => new AsyncOperationsClient({ endpoint: emu.url, auth: { apiKey: KEY }, retry: QUICK })],
  ['blocking', () => new OperationsClient({ endpoint: emu.url, auth: { apiKey: KEY }, retry: QUICK })],
] as const)('%s flavour', (_name, makeClient) => {
  test('each attempt publishes start, then end or error, with its operation, attempt and duration, and no secret', async () => {
    const id = await emu.create({ faults: [{ status: 503, times: 1 }] });
    const client = makeClient();
    const events = await recording(() => client.operation(id).getStatus());
    client.close();
    expect(events.map(([name, e]) => [name, e.attempt])).toEqual([
      [TRACE_CHANNELS.start, 1],
      [TRACE_CHANNELS.error, 1],
      [TRACE_CHANNELS.start, 2],
      [TRACE_CHANNELS.end, 2],
    ]);
    for (const [, e] of events) {
      expect(e).toMatchObject({ operationId: id, call: 'get', protocol: 'rest', target: `${emu.url}/operations/${id}` });
      expect(e.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const failed = events[1]![1] as RequestErrorTrace;
    expect(failed.error).toMatchObject({ name: 'ApiError', grpcCode: 14, httpStatus: 503 });
    expect(failed.durationMs).toBeGreaterThanOrEqual(0);
    expect(events[0]![1].attemptId).toBe(events[1]![1].attemptId);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });
});

test('no subscriber, no event: a client works the same with nobody listening', async () => {
  const id = await emu.create({});
  const client = new AsyncOperationsClient({ endpoint: emu.url, auth: { apiKey: KEY } });
  expect((await client.operation(id).getStatus()).isSucceeded).toBe(true);
  client.close();
  expect(diagnostics.hasSubscribers(TRACE_CHANNELS.start)).toBe(false);
});

test("the tracing guide's recipe: one OpenTelemetry span per attempt", async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('yc-operation');
  // --- the recipe, as docs/guide-tracing.md gives it ---
  const spans = new Map<number, Span>();
  const onStart = (message: unknown) => {
    const e = message as RequestTrace;
    spans.set(
      e.attemptId,
      tracer.startSpan(`yc-operation ${e.call}`, {
        startTime: e.startedAtMs,
        attributes: { 'yc.operation.id': e.operationId ?? '', 'yc.attempt': e.attempt, 'url.full': e.target, 'rpc.system': e.protocol },
      }),
    );
  };
  const onEnd = (message: unknown) => {
    const e = message as RequestTrace;
    spans.get(e.attemptId)?.end();
    spans.delete(e.attemptId);
  };
  const onError = (message: unknown) => {
    const e = message as RequestErrorTrace;
    const span = spans.get(e.attemptId);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: e.error.message });
    if (e.error.grpcCode !== null) span?.setAttribute('rpc.grpc.status_code', e.error.grpcCode);
    onEnd(message);
  };
  diagnostics.subscribe(TRACE_CHANNELS.start, onStart);
  diagnostics.subscribe(TRACE_CHANNELS.end, onEnd);
  diagnostics.subscribe(TRACE_CHANNELS.error, onError);
  // --- end of the recipe ---
  try {
    const id = await emu.create({ donePolls: 2, faults: [{ status: 503, times: 1 }] });
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: { apiKey: KEY }, retry: QUICK });
    await client.operation(id).wait({ pollInterval: 0.01 });
    client.close();
    const finished = exporter.getFinishedSpans();
    expect(finished.map((s) => [s.name, s.attributes['yc.attempt'], s.status.code])).toEqual([
      ['yc-operation get', 1, SpanStatusCode.ERROR],
      ['yc-operation get', 2, SpanStatusCode.UNSET],
      ['yc-operation get', 1, SpanStatusCode.UNSET],
    ]);
    expect(finished[0]!.attributes).toMatchObject({ 'yc.operation.id': id, 'rpc.grpc.status_code': 14 });
    expect(spans.size).toBe(0); // every attempt's span was ended: an end or an error event came for each
  } finally {
    diagnostics.unsubscribe(TRACE_CHANNELS.start, onStart);
    diagnostics.unsubscribe(TRACE_CHANNELS.end, onEnd);
    diagnostics.unsubscribe(TRACE_CHANNELS.error, onError);
  }
});
