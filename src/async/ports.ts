/**
 * What the promise flavour supplies to the client layer: calls sent
 * through the client's transport as promises, each under the client's call scope (so `close()`
 * stops it), and the flavour's operations.
 */

import type { ClientFlavour } from '../client/flavour';
import type { ClientPorts, KindParts } from '../client/layer';
import { type ClientCall, sendCall } from '../client/send';
import type { ApiOperationKind, OperationOptions } from '../core/kind';
import type { ManyOptions } from '../core/many';
import type { OperationStatus } from '../core/status';
import type { CallOptions, ClientTransport, Logger } from '../core/transport';
import { type AsyncContext, type AsyncOperationParts, BaseAsyncOperation } from './base-operation';
import { asCompletedAsync, waitAllAsync } from './many';
import { AsyncOperation } from './operation';
import { type ApiClientParts, ApiOperationParts, SharedPolls } from './shared-polls';

/** The types of the promise flavour: promises of {@link AsyncOperation}s. */
export interface PromiseFlavour extends ClientFlavour {
  readonly operation: AsyncOperation<this['T'], this['M']>;
  readonly tracked: BaseAsyncOperation<this['S'], this['T']>;
  readonly promises: true;
  readonly operationOptions: OperationOptions<this['T'], this['M']>;
}

export class PromisePorts implements ClientPorts {
  readonly #transport: ClientTransport;
  readonly #context: AsyncContext;
  readonly #api: ApiClientParts;

  constructor(transport: ClientTransport, context: AsyncContext, logger: Logger) {
    this.#transport = transport;
    this.#context = context;
    this.#api = { transport, polls: new SharedPolls(transport, context.guard), logger, context };
  }

  send(call: ClientCall, bounds: CallOptions): Promise<unknown> {
    return sendCall(this.#transport, call, bounds);
  }

  within<R>(bounds: CallOptions, body: (bounds: CallOptions) => R): R {
    const call = this.#context.guard.open(bounds.signal);
    let answer: R;
    try {
      answer = body({ ...bounds, signal: call.signal });
    } catch (error) {
      call.end();
      throw error;
    }
    if (answer instanceof Promise) return answer.finally(() => call.end()) as R;
    call.end();
    return answer;
  }

  answer<R>(body: () => R): Promise<Awaited<R>> {
    return new Promise((resolve) => resolve(body() as Awaited<R>));
  }

  operation(id: string, kind: ApiOperationKind<unknown, unknown>, initialStatus: OperationStatus<unknown> | null): AsyncOperation {
    return new AsyncOperation(new ApiOperationParts(id, kind, initialStatus, this.#api));
  }

  other(parts: KindParts<OperationStatus, unknown>): unknown {
    return new BaseAsyncOperation({ ...parts, context: this.#context } as AsyncOperationParts<OperationStatus, unknown>);
  }

  waitAll(ops: readonly unknown[], options: ManyOptions | undefined): Promise<unknown[]> {
    return waitAllAsync(ops as never, options);
  }

  asCompleted(ops: readonly unknown[], options: ManyOptions | undefined): AsyncIterable<unknown> {
    return asCompletedAsync(ops as never, options);
  }
}
