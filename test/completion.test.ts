/**
 * The whole round trip of an AI Studio deferred completion, in both flavours: the start call
 * (`POST /foundationModels/v1/completionAsync`), then the operation it returns, waited on until
 * its result is the completion.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AsyncOperationsClient, type CompletionRequest, OperationsClient } from 'yc-operation';
import { DONE_AFTER_HEADER, type Emulator, startEmulator } from 'yc-operation/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: 'completion-key' });
});
afterAll(() => emu.close());

const REQUEST: CompletionRequest = {
  modelUri: 'gpt://b1gfolder/yandexgpt-lite/latest',
  completionOptions: { temperature: 0.3, maxTokens: '100' },
  messages: [
    { role: 'system', text: 'Be brief.' },
    { role: 'user', text: 'Say hello' },
  ],
};
const options = { endpoint: '', auth: { apiKey: 'completion-key' }, folderId: 'b1gfolder', headers: { [DONE_AFTER_HEADER]: '0.2' } };

test.each([
  ['async', () => new AsyncOperationsClient({ ...options, endpoint: emu.url })],
  ['blocking', () => new OperationsClient({ ...options, endpoint: emu.url })],
] as const)('%s: completionAsync starts the call, and wait returns the completion', async (_name, make) => {
  const client = make();
  await emu.clearRequests();
  const op = await client.completionAsync(REQUEST, { endpoint: emu.url });
  expect(op.lastKnownStatus).toMatchObject({ isRunning: true });
  const completion = await op.wait({ pollInterval: 0.05 });
  expect(completion.alternatives[0]!.message).toEqual({ role: 'assistant', text: expect.stringContaining('Say hello') });
  expect(completion.alternatives[0]!.status).toBe('ALTERNATIVE_STATUS_FINAL');
  const [start] = await emu.requests();
  expect(start).toMatchObject({ method: 'POST', path: '/foundationModels/v1/completionAsync', operationId: op.id });
  expect(start!.headers).toMatchObject({
    'content-type': 'application/json',
    'x-folder-id': 'b1gfolder',
    authorization: 'Api-Key completion-key',
  });
  client.close();
});

test.each([
  [{ modelUri: '', messages: [{ role: 'user', text: 'x' }] }, /modelUri must be a non-empty string/],
  [{ modelUri: 'gpt://f/m', messages: [] }, /messages must be a non-empty array/],
  [{ modelUri: 'gpt://f/m', messages: [{ role: 'user' }] }, /messages\[0\] must be \{ role, text \}/],
])('a malformed request is refused before any call: %o', async (request, message) => {
  const client = new AsyncOperationsClient({ ...options, endpoint: emu.url });
  await emu.clearRequests();
  await expect(client.completionAsync(request as never, { endpoint: emu.url })).rejects.toThrow(message);
  expect(() => new OperationsClient({ ...options, endpoint: emu.url }).completionAsync(request as never, { endpoint: emu.url })).toThrow(
    message,
  );
  expect(await emu.requests()).toHaveLength(0);
  client.close();
});
