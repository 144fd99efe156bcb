/**
 * One scenario table, two drivers, two protocols: every rule of docs/behaviour.md, run
 * against `AsyncOperation` and the blocking `Operation`, over REST and over gRPC, with the same
 * emulator script and the same expectations (statuses, result, error class and text). The one
 * difference, documented in docs/guide-grpc.md: over gRPC an `Any` is never absent, so an operation done
 * with neither a response nor an error succeeds with the empty result, as in the reference.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type OperationStatus, OperationTimeoutError, RunError, WrongAsyncOperationStatusError } from 'yc-operation';
import { type Emulator, type OperationScript, startEmulator } from 'yc-operation/testing';
import { FLAVOURS_AND_PROTOCOLS, type FlavourClient, isGet } from './helpers/flavours';

// Real AI Studio types (and typed metadata), so that they travel over gRPC as they are.
const RESPONSE = {
  '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
  alternatives: [{ message: { role: 'assistant', text: 'hi' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
};
const meta = <T>(value: T) => ({ '@type': 'type.googleapis.com/google.protobuf.Struct', value });
const FAST = { pollInterval: 0.02 };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ grpc: true });
});
afterAll(() => emu.close());

const gets = async (id: string) => (await emu.requests()).filter((r) => r.operationId === id && isGet(r)).length;

describe.each(FLAVOURS_AND_PROTOCOLS)('$label', (flavour) => {
  let client: FlavourClient;
  beforeAll(() => {
    client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: { initialBackoff: 0.01, maxBackoff: 0.02, jitter: 0 } });
  });
  afterAll(() => client.close());
  beforeEach(() => emu.clearRequests());

  const op = async (script: OperationScript, options?: Record<string, unknown>) => client.operation(await emu.create(script), options);

  describe('wait', () => {
    test('polls at once, sleeps between polls, and returns the response', async () => {
      const o = await op({ donePolls: 3, response: RESPONSE });
      const seen: OperationStatus[] = [];
      const result = await o.wait({ ...FAST, onProgress: (s: OperationStatus) => seen.push(s) });
      expect(result).toEqual(RESPONSE);
      expect(seen.map((s) => s.statusName)).toEqual(['running', 'running', 'success']);
      expect(await gets(o.id)).toBe(3);
    });

    test('a failed operation makes wait throw RunError with the reference text', async () => {
      const detail = { '@type': 'type.googleapis.com/google.rpc.DebugInfo', detail: 'x' };
      const o = await op({ donePolls: 2, error: { code: 3, message: 'bad prompt', details: [detail] } });
      const error = await o.wait(FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect(error).toMatchObject({ code: 3, operationId: o.id, details: [JSON.stringify(detail)] });
      expect((error as Error).message).toBe(`Operation ${o.id} failed with message: bad prompt (code 3)\n${JSON.stringify(detail)}`);
    });

    test("an empty error message reads '<Empty message>'", async () => {
      const o = await op({ error: { code: 13, message: '' } });
      await expect(o.wait(FAST)).rejects.toThrow(`Operation ${o.id} failed with message: <Empty message> (code 13)`);
    });

    test.runIf(flavour.protocol === 'rest')('done with neither result nor error throws WrongAsyncOperationStatusError', async () => {
      const o = await op({ donePolls: 1, neither: true });
      const error = await o.wait(FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongAsyncOperationStatusError);
      expect((error as Error).message).toBe(`${flavour.self(o.id)} is done but response have result neither error fields set`);
      expect(o.lastKnownStatus).toMatchObject({ done: true, isRunning: false, isFinished: false });
    });

    test.runIf(flavour.protocol === 'grpc')(
      'done with neither result nor error succeeds with the empty Any, as the reference reads gRPC',
      async () => {
        const o = await op({ donePolls: 1, neither: true });
        expect(await o.wait(FAST)).toEqual({ '@type': '', value: '' });
        expect(o.lastKnownStatus).toMatchObject({ done: true, isSucceeded: true, isFinished: true });
      },
    );

    test('an error while done is still false keeps the operation running', async () => {
      const o = await op({
        donePolls: 3,
        runningError: { code: 13, message: 'rolling back' },
        error: { code: 13, message: 'rolled back' },
      });
      const first = await o.getStatus();
      expect(first).toMatchObject({ done: false, isRunning: true, isFailed: false, error: { code: 13, message: 'rolling back' } });
      await expect(o.wait(FAST)).rejects.toBeInstanceOf(RunError);
    });

    test('pollTimeout raises OperationTimeoutError with the last status', async () => {
      const o = await op({ never: true });
      const started = Date.now();
      const error = await o.wait({ pollTimeout: 0.3, pollInterval: 0.05 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationTimeoutError);
      expect(error).toMatchObject({ operationId: o.id, pollTimeout: 0.3 });
      expect((error as OperationTimeoutError).lastStatus).toMatchObject({ isRunning: true });
      expect(Date.now() - started).toBeLessThan(5000); // bounded, not a speed claim
    });

    test('pollTimeout aborts a request in flight', async () => {
      const o = await op({ never: true, faults: [{ hang: true }] });
      const error = await o.wait({ pollTimeout: 0.3, timeout: 30 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationTimeoutError);
      expect((error as OperationTimeoutError).lastStatus).toBeNull();
    });

    test('the result decoder and the metadata decoder are applied', async () => {
      const o = await op(
        { donePolls: 3, response: RESPONSE, metadata: [meta({ progress: 10 }), meta({ progress: 50 }), meta({ progress: 100 })] },
        {
          resultDecoder: (r: typeof RESPONSE) => r.alternatives[0]!.message.text,
          metadataDecoder: (m: { value: { progress: number } }) => `${m.value.progress}%`,
        },
      );
      const seen: unknown[] = [];
      expect(await o.wait({ ...FAST, onProgress: (s: OperationStatus) => seen.push(s.metadata) })).toBe('hi');
      expect(seen).toEqual(['10%', '50%', '100%']);
    });
  });

  describe('getResult', () => {
    test('fetches once when no status is known, and does not refetch a running one', async () => {
      const o = await op({ donePolls: 2 });
      const expected = `${flavour.self(o.id)} is running and therefore can't return a result`;
      await expect(o.getResult()).rejects.toThrow(expected);
      await expect(o.getResult()).rejects.toBeInstanceOf(WrongAsyncOperationStatusError);
      expect(await gets(o.id)).toBe(1);
    });

    test('returns the result of a known success without a request', async () => {
      const o = await op({ response: RESPONSE });
      await o.getStatus();
      expect(await o.getResult()).toEqual(RESPONSE);
      expect(await gets(o.id)).toBe(1);
    });

    test('throws RunError for a known failure', async () => {
      const o = await op({ error: { code: 5, message: 'gone' } });
      await o.getStatus();
      await expect(o.getResult()).rejects.toMatchObject({ name: 'RunError', code: 5, details: [] });
    });
  });

  describe('getStatus', () => {
    test('makes one request and stores the status as the last known one', async () => {
      const o = await op({ donePolls: 2, metadata: [meta({ step: 1 }), meta({ step: 2 })] });
      expect(o.lastKnownStatus).toBeNull();
      const s = await o.getStatus();
      expect(s).toMatchObject({ done: false, metadata: meta({ step: 1 }), isRunning: true, statusName: 'running' });
      expect(o.lastKnownStatus).toBe(s);
      expect(await gets(o.id)).toBe(1);
    });
  });

  describe('cancel', () => {
    test('a running operation finishes with code 1 and wait throws RunError', async () => {
      const o = await op({ never: true });
      await o.cancel();
      expect(o.lastKnownStatus).toMatchObject({ isFailed: true, error: { code: 1 } });
      await expect(o.wait(FAST)).rejects.toMatchObject({ name: 'RunError', code: 1 });
    });
  });

  describe('fromOperation', () => {
    test('knows the status without a request', async () => {
      const id = await emu.create({ response: RESPONSE });
      const o = client.fromOperation({ id, done: true, response: RESPONSE, metadata: null });
      expect(o.lastKnownStatus).toMatchObject({ isSucceeded: true });
      expect(await o.getResult()).toEqual(RESPONSE);
      expect(await gets(id)).toBe(0);
    });

    test('the start call answer is running, and wait polls it to the end', async () => {
      const id = await emu.create({ donePolls: 2, response: RESPONSE });
      const o = client.fromOperation({ id, description: 'Async GPT Completion', done: false, metadata: null });
      expect(o.lastKnownStatus).toMatchObject({ isRunning: true });
      expect(await o.wait(FAST)).toEqual(RESPONSE);
    });
  });

  describe('watch', () => {
    test('yields each status up to the final one', async () => {
      const o = await op({ donePolls: 3 });
      expect((await o.watch(FAST)).map((s) => s.statusName)).toEqual(['running', 'running', 'success']);
    });

    test('breaking out stops polling', async () => {
      const o = await op({ never: true });
      await o.watch(FAST, 2);
      const made = await gets(o.id);
      await new Promise((r) => setTimeout(r, 150));
      expect(await gets(o.id)).toBe(made);
      expect(made).toBe(2);
    });
  });

  test('toString names the operation', async () => {
    const o = await op({});
    expect(String(o)).toBe(flavour.self(o.id));
  });
});
