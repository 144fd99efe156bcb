/**
 * Every REST row of the producer table, in both flavours, against the emulator: the start call,
 * progress, the decoded result, a scripted failure, cancel, the kind's wait defaults, and a
 * malformed request refused before any call.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CompletionResponse,
  type ImageGenerationResponse,
  type ParsedWebSearchResponse,
  RunError,
  type SearchIndex,
  type SearchIndexFile,
  type WebSearchResponse,
} from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FOLDER, infoLines, PRODUCER_KEY, START_FLAVOURS } from '../helpers/producers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: PRODUCER_KEY });
});
afterAll(() => emu.close());

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface Row {
  name: string;
  method: string;
  path: string;
  request: object;
  options?: Record<string, unknown>;
  check(result: unknown): void;
  bad: [request: unknown, message: RegExp];
}

const ROWS: Row[] = [
  {
    name: 'completionAsync',
    method: 'completionAsync',
    path: '/foundationModels/v1/completionAsync',
    request: { modelUri: `gpt://${FOLDER}/yandexgpt-lite/latest`, messages: [{ role: 'user', text: 'Say hello' }] },
    check: (r: CompletionResponse) => expect(r.alternatives[0]?.message).toEqual({ role: 'assistant', text: 'Say hello' }),
    bad: [{ modelUri: '', messages: [{ role: 'user', text: 'x' }] }, /modelUri must be a non-empty string/],
  },
  {
    name: 'imageGenerationAsync',
    method: 'imageGenerationAsync',
    path: '/foundationModels/v1/imageGenerationAsync',
    request: {
      modelUri: `art://${FOLDER}/yandex-art/latest`,
      messages: [{ text: 'a red fox', weight: 1 }],
      generationOptions: { mimeType: 'image/png' },
    },
    check: (r: ImageGenerationResponse) => {
      expect(r.image).toBeInstanceOf(Uint8Array);
      expect([...r.image.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(text(r.image.subarray(8))).toBe('a red fox');
      expect(r.modelVersion).toBe('2.0');
    },
    bad: [{ modelUri: 'art://f/m', messages: [{ weight: 1 }] }, /messages\[0\] must be \{ text, weight\? \}/],
  },
  {
    name: 'webSearchAsync',
    method: 'webSearchAsync',
    path: '/v2/web/searchAsync',
    request: { query: { searchType: 'SEARCH_TYPE_RU', queryText: 'yandex cloud' } },
    check: (r: WebSearchResponse & Partial<ParsedWebSearchResponse>) => {
      expect(r.rawData).toBeInstanceOf(Uint8Array);
      expect(r.text).toBeUndefined();
      expect(text(r.rawData)).toContain('<query>yandex cloud</query>');
    },
    bad: [{ query: { searchType: 'SEARCH_TYPE_RU' } }, /query\.queryText must be a non-empty string/],
  },
  {
    name: 'webSearchAsync, parse: true, HTML',
    method: 'webSearchAsync',
    path: '/v2/web/searchAsync',
    request: { query: { searchType: 'SEARCH_TYPE_COM', queryText: 'operations' }, responseFormat: 'FORMAT_HTML' },
    options: { parse: true },
    check: (r: ParsedWebSearchResponse) => {
      expect(r.rawData).toBeInstanceOf(Uint8Array);
      expect(r.text).toMatch(/^<!DOCTYPE html>.*<title>operations<\/title>/);
    },
    bad: [
      { query: { searchType: 'SEARCH_TYPE_RU', queryText: 'x' }, responseFormat: 'PDF' },
      /responseFormat must be "FORMAT_XML" or "FORMAT_HTML"/,
    ],
  },
  {
    name: 'createSearchIndex',
    method: 'createSearchIndex',
    path: '/assistants/v1/searchIndex',
    request: { fileIds: ['file1', 'file2'], name: 'docs', hybridSearchIndex: { chunkingStrategy: {} } },
    check: (r: SearchIndex) => {
      expect(r).toMatchObject({ folderId: FOLDER, name: 'docs', hybridSearchIndex: { chunkingStrategy: {} } });
      expect(r.id).toMatch(/^fvt/);
    },
    bad: [{ fileIds: 'file1' }, /fileIds must be an array of non-empty strings/],
  },
  {
    name: 'addSearchIndexFiles',
    method: 'addSearchIndexFiles',
    path: '/assistants/v1/searchIndexFile:batchCreate',
    request: { searchIndexId: 'fvtindex', fileIds: ['file3', 'file4'] },
    check: (r: SearchIndexFile[]) => {
      expect(r).toHaveLength(2);
      expect(r.map((f: { id: string }) => f.id)).toEqual(['file3', 'file4']);
      expect(r[0]).toMatchObject({ searchIndexId: 'fvtindex' });
    },
    bad: [{ searchIndexId: 'fvtindex', fileIds: [] }, /fileIds must be a non-empty array of non-empty strings/],
  },
];

describe.each(START_FLAVOURS)('$name', (flavour) => {
  describe.each(ROWS)('$name', (row) => {
    test('starts the call, shows progress, and wait returns the decoded result', async () => {
      const client = flavour.client(emu, { doneAfter: 0.3 });
      await emu.clearRequests();
      const op = await client.start(row.method, row.request, row.options);
      expect(op.lastKnownStatus?.isRunning).toBe(true);
      const seen: string[] = [];
      row.check(await op.wait({ pollInterval: 0.05, onProgress: (s: { statusName: string }) => seen.push(s.statusName) }));
      expect(seen[0]).toBe('running');
      expect(seen.at(-1)).toBe('success');
      const [startCall] = await emu.requests();
      expect(startCall).toMatchObject({ method: 'POST', path: row.path, operationId: op.id });
      expect(startCall!.headers).toMatchObject({ 'x-folder-id': FOLDER, authorization: `Api-Key ${PRODUCER_KEY}` });
      client.close();
    });

    test('a scripted failure is a RunError with the operation id', async () => {
      const client = flavour.client(emu, { doneAfter: 0.1, failWith: { code: 8, message: 'quota exceeded' } });
      const op = await client.start(row.method, row.request, row.options);
      const error = await op.wait({ pollInterval: 0.05 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect(error).toMatchObject({ code: 8, errorMessage: 'quota exceeded', operationId: op.id });
      client.close();
    });

    test('cancel finishes it as CANCELLED', async () => {
      const client = flavour.client(emu, { doneAfter: 60 });
      const op = await client.start(row.method, row.request, row.options);
      await op.cancel();
      await expect(op.getResult()).rejects.toMatchObject({ name: 'RunError', code: 1 });
      client.close();
    });

    test("the kind's defaults: a wait with no options polls every 10 s within 3600 s", async () => {
      const { lines, logger } = infoLines();
      const client = flavour.client(emu, { doneAfter: 0 }, logger);
      const op = await client.start(row.method, row.request, row.options);
      row.check(await op.wait());
      expect(lines).toContain(`Polling operation ${op.id}: every 10 s, poll timeout 3600 s`);
      client.close();
    });

    test('a malformed request is refused before any call', async () => {
      const client = flavour.client(emu);
      await emu.clearRequests();
      await expect(client.start(row.method, row.bad[0], row.options)).rejects.toThrow(TypeError);
      await expect(client.start(row.method, row.bad[0], row.options)).rejects.toThrow(row.bad[1]);
      await expect(client.start(row.method, row.request, { ...row.options, colour: 'red' })).rejects.toThrow(/has no option "colour"/);
      expect(await emu.requests()).toHaveLength(0);
      client.close();
    });
  });
});
