/**
 * The emulator's worker thread: it runs the HTTP server off the caller's thread, so that the
 * server keeps answering while the caller blocks in `Atomics.wait`, and carries out the
 * commands of its `Emulator` handle.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { authorizationCheck } from './auth';
import { GrpcEmulatorServer } from './grpc-server';
import type { Command, CommandMessage, CommandResults, WorkerConfig, WorkerMessage } from './protocol';
import { EmulatorServer } from './server';
import { EmulatorStores } from './stores';

const config = workerData as WorkerConfig;
const parent = parentPort as MessagePort;
const stores = new EmulatorStores();
const server = new EmulatorServer(config, stores);
/** The gRPC server, on the same state and request log. */
const grpc = config.grpcPort === null ? null : new GrpcEmulatorServer(stores, server.log, authorizationCheck(config));
let grpcPort = config.grpcPort ?? 0;

const COMMANDS: { [K in Command['kind']]: (command: Extract<Command, { kind: K }>) => CommandResults[K] | Promise<CommandResults[K]> } = {
  create: ({ script }) => stores.operations.create(script, Date.now()).id,
  expire: ({ operationId }) => stores.operations.expire(operationId),
  requests: () => server.log.entries(),
  clearRequests: () => server.log.clear(),
  dropIdleConnections: () => {
    server.dropIdleConnections();
    grpc?.dropIdleConnections();
  },
  restart: async () => {
    await Promise.all([server.restart(), grpc?.close()]);
    await grpc?.listen(grpcPort);
  },
  close: async () => {
    await Promise.all([server.close(), grpc?.close()]);
  },
};

function post(message: WorkerMessage): void {
  parent.postMessage(message);
}

parent.on('message', ({ id, command }: CommandMessage) => {
  const run = COMMANDS[command.kind] as (command: Command) => unknown;
  Promise.resolve()
    .then(() => run(command))
    .then(
      (value) => post({ kind: 'reply', id, ok: true, value }),
      (error: Error) => post({ kind: 'reply', id, ok: false, error }),
    );
});

// A failure to listen (a port in use, say) is thrown in the worker, and reaches the handle as
// the worker's 'error' event.
void Promise.all([server.listen(config.port), grpc?.listen(grpcPort)]).then(([port, listening]) => {
  if (listening !== undefined) grpcPort = listening;
  post({ kind: 'ready', port, grpcPort: grpc === null ? null : grpcPort });
});
