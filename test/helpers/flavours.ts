/**
 * The two flavours behind one promise-shaped face, so that one scenario table runs against
 * `AsyncOperation` and the blocking `Operation` alike (`await` takes a value as well as a
 * promise, `for await` a plain iterable as well as an async one). The blocking calls run on the
 * test's thread while the emulator serves from its own.
 */
import { AsyncOperationsClient, OperationsClient, type AsyncOperation, type Operation, type OperationStatus } from 'yc-operation';

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
  close(): void;
}

export interface Flavour {
  name: 'async' | 'blocking';
  /** The operation's text form, which starts the reference's messages. */
  self(id: string): string;
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

function flavour(name: Flavour['name'], prefix: string, Client: typeof AsyncOperationsClient | typeof OperationsClient): Flavour {
  return {
    name,
    self: (id) => `${prefix}<id="${id}">`,
    client(options) {
      const client = new Client(options as never);
      return {
        operation: (id, o) => wrap(client.operation(id, o as never)),
        fromOperation: (wire, o) => wrap(client.fromOperation(wire, o as never)),
        close: () => client.close(),
      };
    },
  };
}

export const FLAVOURS: readonly Flavour[] = [
  flavour('async', 'AsyncOperation', AsyncOperationsClient),
  flavour('blocking', 'Operation', OperationsClient),
];
