/**
 * Type checks for test/engine/client-many.test.ts, read by `tsc --noEmit` (never called): each
 * client's `waitAll` answers in its own flavour, and the blocking client refuses an async
 * `resultDecoder`. Exported so that `noUnusedLocals` keeps it (a test file exports nothing).
 */
import type { AsyncOperation, AsyncOperationsClient, Operation, OperationsClient } from 'yc-operation';

export function typeChecks(promised: AsyncOperationsClient, blocking: OperationsClient): void {
  const results: Promise<number[]> = promised.waitAll([] as AsyncOperation<number>[]);
  const plain: number[] = blocking.waitAll([] as Operation<number>[]);
  const decoded: Operation<number> = blocking.operation('x', { resultDecoder: () => 1 });
  // @ts-expect-error the blocking client takes a synchronous resultDecoder only
  blocking.operation('x', { resultDecoder: async (response: unknown) => response });
  const asyncDecoded: AsyncOperation<number> = promised.operation('x', { resultDecoder: async () => 1 });
  void results;
  void plain;
  void decoded;
  void asyncDecoded;
}
