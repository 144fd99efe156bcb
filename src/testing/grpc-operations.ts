/**
 * `OperationService/Get` and `/Cancel` over gRPC, on the same operations as the REST routes (one
 * state, two protocols), with the same fault injection (`grpc-faults.ts`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GrpcCode } from '../core/grpc-codes';
import { encode } from '../proto/from-json';
import { messageType, OPERATION } from '../proto/root';
import { describeFault } from './faults';
import { actOutGrpcFault } from './grpc-faults';
import type { GrpcCall, GrpcMethod, GrpcRoutes } from './grpc-method';
import type { EmulatedOperation, OperationJson, OperationStore } from './operations';

const OPERATION_SERVICE = '/yandex.cloud.operation.OperationService/';

const operationType = messageType(OPERATION);

/** The Get and Cancel methods of the operations in `operations`. */
export function operationMethods(operations: OperationStore): GrpcRoutes {
  const method = (name: 'Get' | 'Cancel', act: (operation: EmulatedOperation, nowMs: number) => OperationJson): GrpcMethod => ({
    request: `yandex.cloud.operation.${name}OperationRequest`,
    handle: (call) => answerOperation(operations, call, act),
  });
  return {
    [`${OPERATION_SERVICE}Get`]: method('Get', (operation, nowMs) => operation.poll(nowMs)),
    [`${OPERATION_SERVICE}Cancel`]: method('Cancel', (operation, nowMs) => operation.cancel(nowMs)),
  };
}

/**
 * Answers a Get or a Cancel: NOT_FOUND for an unknown (or expired) id; otherwise the operation's
 * next fault, if any, and `act` (which advances the operation) only for a correct answer.
 */
async function answerOperation(
  operations: OperationStore,
  { request, reply, entry }: GrpcCall,
  act: (operation: EmulatedOperation, nowMs: number) => OperationJson,
): Promise<void> {
  const operationId = String(request.operationId ?? '');
  entry.operationId = operationId;
  const operation = operations.get(operationId);
  if (operation === undefined) return reply.status(GrpcCode.NOT_FOUND, `Operation ${operationId} not found`);
  const fault = operation.faults.take();
  if (fault === undefined) return reply.message(encode(operationType, act(operation, Date.now())));
  entry.fault = describeFault(fault);
  if (fault.latency) {
    await sleep(fault.latency * 1000);
    if (reply.isGone) return;
  }
  const nowMs = Date.now();
  if (!actOutGrpcFault(reply, fault, () => encode(operationType, operation.json(nowMs)))) {
    reply.message(encode(operationType, act(operation, nowMs)));
  }
}
