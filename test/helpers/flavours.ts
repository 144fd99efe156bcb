/**
 * The two flavours, over each of the two protocols, behind one promise-shaped face, so that one
 * scenario table runs against `AsyncOperation` and the blocking `Operation`, over REST and over
 * gRPC, alike (`await` takes a value as well as a promise, `for await` a plain iterable as well as
 * an async one). The blocking calls run on the test's thread while the emulator serves from its own.
 */
import { type AsyncOperation, AsyncOperationsClient, type Operation, type OperationStatus, OperationsClient } from 'yc-operation';
import type { Emulator, RecordedRequest } from 'yc-operation/testing';

type AnyOperation = AsyncOperation | Operation;

export interface FlavourOperation {
  readonly id: string;
  readonly lastKnownStatus: OperationStatus | null;
  getStatus(o?: { timeout?: number }): Promise<OperationStatus>;
  getResult(o?: { timeout?: number }): Promise<unknown>;
  wait(o?: Record<string, unknown>): Promise<unknown>;
  cancel(o?: { timeout?: number }): Promise<void>;
  /** Every status `watch()` yields, or the first `stopAfter` of them (then it breaks out). */
  watch(o?: Record<string, unknown>, stopAfter?: number): Promise<OperationStatus[]>;
  toString(): string;
}

export interface FlavourClient {
  operation(id: string, options?: Record<string, unknown>): FlavourOperation;
  fromOperation(wire: object, options?: Record<string, unknown>): FlavourOperation;
  /** The batch inference task `taskId` (its Describe over gRPC at `options.endpoint`). */
  batchTask(taskId: string, options?: Record<string, unknown>): FlavourOperation;
  close(): void;
}

export type Protocol = 'rest' | 'grpc';

export interface Flavour {
  name: 'async' | 'blocking';
  protocol: Protocol;
  /** `async flavour over rest`, ... */
  label: string;
  /** The operation's text form, which starts the reference's messages. */
  self(id: string): string;
  /** The emulator's URL for this protocol (it must be started with `grpc: true`). */
  endpoint(emu: Emulator): string;
  /** A client of this flavour speaking this protocol. */
  client(options: Record<string, unknown>): FlavourClient;
}

/** An operation of either flavour (or of a kind of its own) behind the promise-shaped face. */
export function wrap(operation: AnyOperation | object): FlavourOperation {
  const op = operation as AnyOperation;
  const call = op as unknown as Record<string, (o?: unknown) => unknown>;
  return {
    id: op.id,
    get lastKnownStatus() {
      return op.lastKnownStatus;
    },
    getStatus: async (o) => (await call.getStatus!(o)) as OperationStatus,
    getResult: async (o) => call.getResult!(o),
    wait: async (o) => call.wait!(o),
    cancel: async (o) => {
      await call.cancel!(o);
    },
    async watch(o, stopAfter) {
      const seen: OperationStatus[] = [];
      for await (const s of call.watch!(o) as AsyncIterable<OperationStatus>) {
        seen.push(s);
        if (seen.length === stopAfter) break;
      }
      return seen;
    },
    toString: () => String(op),
  };
}

function flavour(
  name: Flavour['name'],
  protocol: Protocol,
  prefix: string,
  Client: typeof AsyncOperationsClient | typeof OperationsClient,
): Flavour {
  return {
    name,
    protocol,
    label: `${name} flavour over ${protocol}`,
    self: (id) => `${prefix}<id="${id}">`,
    endpoint: (emu) => (protocol === 'grpc' ? (emu.grpcUrl as string) : emu.url),
    client(options) {
      const client = new Client({ ...options, protocol } as never);
      return {
        operation: (id, o) => wrap(client.operation(id, o as never)),
        fromOperation: (wire, o) => wrap(client.fromOperation(wire, o as never)),
        batchTask: (taskId, o) => wrap(client.batchTask(taskId, o as never)),
        close: () => client.close(),
      };
    },
  };
}

const flavoursOver = (protocol: Protocol): Flavour[] => [
  flavour('async', protocol, 'AsyncOperation', AsyncOperationsClient),
  flavour('blocking', protocol, 'Operation', OperationsClient),
];

/** Both flavours, over REST. */
export const FLAVOURS: readonly Flavour[] = flavoursOver('rest');

/** Both flavours over both protocols (for an emulator started with `grpc: true`). */
export const FLAVOURS_AND_PROTOCOLS: readonly Flavour[] = [...FLAVOURS, ...flavoursOver('grpc')];

/** A Get of the Operation API, over either protocol. */
export const isGet = (r: RecordedRequest) =>
  (r.method === 'GET' && !r.path.endsWith(':cancel')) || r.path === '/yandex.cloud.operation.OperationService/Get';
