/**
 * The start helpers and the run tracker of both clients behind one promise-shaped face, so that
 * one table of rows runs against both flavours (a blocking call's value or throw becomes the
 * promise's). The emulator's scripting headers travel as the client's extra headers.
 */
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { DONE_AFTER_HEADER, type Emulator, FAIL_WITH_HEADER } from 'yc-operation/testing';
import { type FlavourOperation, wrap } from './flavours';

export const PRODUCER_KEY = 'producer-key';
export const FOLDER = 'b1gfolder';

/** What a test scripts for the operations its client starts. */
export interface Scripted {
  doneAfter?: number;
  failWith?: { code: number; message: string };
  headers?: Record<string, string>;
}

export interface StartClient {
  /** Calls the client's start helper `method`: the operation it returns. */
  start(method: string, request: unknown, options?: Record<string, unknown>): Promise<FlavourOperation>;
  /** `client.run(id)` or `client.assistantRun(id)`, on the emulator. */
  run(id: string, alias?: boolean): FlavourOperation;
  /** The raw client, for its own members. */
  readonly raw: AsyncOperationsClient | OperationsClient;
  close(): void;
}

export interface StartFlavour {
  name: 'async' | 'blocking';
  client(emu: Emulator, scripted?: Scripted, logger?: object): StartClient;
}

function startFlavour(name: StartFlavour['name'], Client: typeof AsyncOperationsClient | typeof OperationsClient): StartFlavour {
  return {
    name,
    client(emu, scripted = {}, logger) {
      const headers: Record<string, string> = { ...scripted.headers, [DONE_AFTER_HEADER]: String(scripted.doneAfter ?? 0.3) };
      if (scripted.failWith) headers[FAIL_WITH_HEADER] = JSON.stringify(scripted.failWith);
      const raw = new Client({
        endpoint: emu.url,
        auth: { apiKey: PRODUCER_KEY },
        folderId: FOLDER,
        headers,
        ...(logger ? { logger } : {}),
      } as never);
      const call = raw as unknown as Record<string, (...args: unknown[]) => unknown>;
      return {
        raw,
        start: async (method, request, options) => wrap((await call[method]!(request, { endpoint: emu.url, ...options })) as object),
        run: (id, alias) => wrap(call[alias ? 'assistantRun' : 'run']!(id, { endpoint: emu.url }) as object),
        close: () => raw.close(),
      };
    },
  };
}

export const START_FLAVOURS: readonly StartFlavour[] = [
  startFlavour('async', AsyncOperationsClient),
  startFlavour('blocking', OperationsClient),
];

/** A logger that keeps its info lines. */
export function infoLines(): { lines: string[]; logger: object } {
  const lines: string[] = [];
  return { lines, logger: { debug() {}, info: (m: string) => lines.push(m), warn() {}, error() {} } };
}
