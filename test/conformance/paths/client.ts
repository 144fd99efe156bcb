/**
 * The four client paths: `AsyncOperationsClient` and the blocking `OperationsClient`, each over
 * REST or gRPC (`test/helpers/flavours.ts` puts both behind one promise-shaped face). One emulator
 * and one client per path; each row gets an operation of its own.
 */
import { AsyncOperationsClient, type CompletionRequest, OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS_AND_PROTOCOLS, type FlavourOperation, isGet } from '../../helpers/flavours';
import { type Outcome, outcomeOf, statusData } from '../outcome';
import type { PathName, Row } from '../table';

/** A path, open: runs one row at a time (or several at once where the path allows it). */
export interface OpenPath {
  run(row: Row): Promise<Outcome>;
  close(): Promise<void>;
}

/** Quick retries: a retried row costs milliseconds (the default backoff sleeps 1.5 s and more). */
export const QUICK_RETRY = { initialBackoff: 0.01, maxBackoff: 0.05, jitter: 0 };

/**
 * The `headers` option of every path's client: one header of the user's, and three that try to set
 * the call's own ids, which the option cannot (docs/wire.md). {@link getsOf} checks every Get.
 */
export const USER_HEADERS = Object.freeze({
  'X-Conformance': 'yes',
  'X-Client-Request-Id': 'mine',
  'Idempotency-Key': 'mine',
  'X-Retry-Attempt': '9',
});

/** A completion request, for the rows whose operation is a started completion. */
const COMPLETION: CompletionRequest = { modelUri: 'gpt://b1gemulator/yandexgpt-lite/latest', messages: [{ role: 'user', text: 'hello' }] };

/**
 * The operation of a row: one the emulator makes from the row's script, or the row's id as it is;
 * for a started one, `start` starts it with the row's headers and gives its id.
 */
export async function operationIdOf(
  emu: Emulator,
  row: Row,
  start: (headers: Record<string, string>) => Promise<string>,
): Promise<unknown> {
  const { operation } = row;
  if ('startedWith' in operation) return start(operation.startedWith);
  return 'id' in operation ? operation.id : emu.create(operation);
}

/**
 * Starts a completion with a client of class `Client` that sends `headers`, and gives its
 * operation's id. A start call goes over REST only, so that client speaks REST; the path's client
 * (or the queue's worker) then polls the operation by its id.
 */
export async function startCompletion(
  Client: typeof AsyncOperationsClient | typeof OperationsClient,
  emu: Emulator,
  headers: Record<string, string>,
): Promise<string> {
  const starter = new Client({ endpoint: emu.url, auth: null, headers });
  try {
    return (await starter.completionAsync(COMPLETION, { endpoint: emu.url })).id;
  } finally {
    starter.close();
  }
}

/**
 * The Gets of the Operation API the emulator received for `id`, over either protocol. Throws when
 * one lacks the user's header of {@link USER_HEADERS} or carries one of its ids in place of the
 * call's own: every row checks that the `headers` option cannot set them.
 */
export async function getsOf(emu: Emulator, id: unknown): Promise<number> {
  const gets = (await emu.requests()).filter((r) => r.operationId === id && isGet(r));
  for (const { headers } of gets) {
    const own = ['x-client-request-id', 'idempotency-key', 'x-retry-attempt'].filter((name) => ['mine', '9'].includes(headers[name]!));
    if (headers['x-conformance'] !== 'yes' || own.length > 0)
      throw new Error(`a Get went without the headers option's own header, or with its ${own.join(', ')}: ${JSON.stringify(headers)}`);
  }
  return gets.length;
}

async function call(op: () => FlavourOperation, row: Row): Promise<unknown> {
  const { call } = row;
  const options = 'options' in call ? call.options : undefined;
  switch (call.kind) {
    case 'wait':
      return op().wait(options as Record<string, unknown>);
    case 'cancel, then wait': {
      const o = op();
      await o.cancel();
      return o.wait(options as Record<string, unknown>);
    }
    case 'getStatus':
      return statusData(await op().getStatus(options as never));
    case 'getResult':
      return op().getResult(options as never);
    case 'cancel': {
      const o = op();
      await o.cancel(options as never);
      return statusData(o.lastKnownStatus);
    }
    case 'stored job':
      throw new Error('a client path has no stored job: the row should exclude it');
  }
}

/** Opens the client path `name` (`async-rest`, ..., `blocking-grpc`). */
export async function openClientPath(name: Exclude<PathName, 'queue'>): Promise<OpenPath> {
  const flavour = FLAVOURS_AND_PROTOCOLS.find((f) => `${f.name}-${f.protocol}` === name)!;
  const emu = await startEmulator({ grpc: flavour.protocol === 'grpc' });
  const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: QUICK_RETRY, headers: USER_HEADERS });
  return {
    async run(row) {
      const id = await operationIdOf(emu, row, (headers) =>
        startCompletion(flavour.name === 'async' ? AsyncOperationsClient : OperationsClient, emu, headers),
      );
      return outcomeOf(
        () => call(() => client.operation(id as string), row),
        () => getsOf(emu, id),
      );
    },
    async close() {
      client.close();
      await emu.close();
    },
  };
}
