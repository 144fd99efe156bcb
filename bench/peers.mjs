/**
 * The clients the gRPC and REST rows compare, each as `poll(i)`: one status request for the
 * `i`-th operation id, resolved once its answer is read. Made here once so that the rows
 * (bench/rows/), the allocation profile (bench/alloc.mjs) and the CPU profile (bench/profile.mjs)
 * measure the same code.
 *
 * - `ours-rest`, `ours-grpc`: `AsyncOperation.getStatus()` of this SDK (the build in dist/).
 * - `sdk`: the official `@yandex-cloud/nodejs-sdk` (v3, a dev dependency), its OperationService
 *   client made as its `Session.client()` makes one — nice-grpc's `createChannel()` and the SDK's
 *   `clientFactory` (its error-metadata, retry and deadline middleware) over the generated
 *   `OperationServiceClient.service` — but on a plaintext loopback channel and without the
 *   per-call IAM-token credentials, as our clients run with `auth: null`.
 * - `sdk-grpc-js`: the SDK's generated grpc-js client (`makeGenericClientConstructor`, ts-proto
 *   encode/decode), called directly: grpc-js with the SDK's codec and nothing above.
 * - `grpc-js`: a bare grpc-js `Client.makeUnaryRequest` sending prebuilt request bytes and
 *   keeping the answer's bytes undecoded: grpc-js's own floor.
 * - `node-http`: a bare `node:http` keep-alive GET, its body parsed as JSON: REST's floor.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import grpc from '@grpc/grpc-js';
import { AsyncOperationsClient } from 'yc-operation';
import { bareGet } from './lib.mjs';

const require = createRequire(import.meta.url);
const sdkRequire = createRequire(require.resolve('@yandex-cloud/nodejs-sdk'));

export const PEER_NAMES = ['ours-rest', 'ours-grpc', 'sdk', 'sdk-grpc-js', 'grpc-js', 'node-http'];

/**
 * The callers named in `names`, for `ids` of the emulator at `url` (REST) and `grpcUrl`
 * (`http://127.0.0.1:<port>`); `close()` ends all their channels and sockets.
 */
export function makePeers(names, { url, grpcUrl, ids }) {
  const target = grpcUrl?.replace(/^http:\/\//, '');
  const closers = [];
  const make = {
    'ours-rest': () => {
      const client = new AsyncOperationsClient({ endpoint: url, auth: null });
      closers.push(() => client.close());
      const ops = ids.map((id) => client.operation(id));
      return (i) => ops[i].getStatus();
    },
    'ours-grpc': () => {
      const client = new AsyncOperationsClient({ endpoint: grpcUrl, auth: null, protocol: 'grpc' });
      closers.push(() => client.close());
      const ops = ids.map((id) => client.operation(id));
      return (i) => ops[i].getStatus();
    },
    sdk: () => {
      const { createChannel } = sdkRequire('nice-grpc');
      const { clientFactory } = require('@yandex-cloud/nodejs-sdk/dist/utils/client-factory');
      const { OperationServiceClient } = require('@yandex-cloud/nodejs-sdk/operation/operation_service');
      const channel = createChannel(grpcUrl);
      closers.push(() => channel.close());
      const client = clientFactory.create(OperationServiceClient.service, channel);
      return (i) => client.get({ operationId: ids[i] });
    },
    'sdk-grpc-js': () => {
      const { OperationServiceClient } = require('@yandex-cloud/nodejs-sdk/operation/operation_service');
      const client = new OperationServiceClient(target, grpc.credentials.createInsecure());
      closers.push(() => client.close());
      return (i) =>
        new Promise((resolve, reject) => client.get({ operationId: ids[i] }, (error, answer) => (error ? reject(error) : resolve(answer))));
    },
    'grpc-js': () => {
      const client = new grpc.Client(target, grpc.credentials.createInsecure());
      closers.push(() => client.close());
      // GetOperationRequest { operation_id = 1 }: field 1, length-delimited.
      const requests = ids.map((id) => {
        const bytes = Buffer.from(id, 'utf8');
        return Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]);
      });
      const same = (bytes) => bytes;
      const path = '/yandex.cloud.operation.OperationService/Get';
      return (i) =>
        new Promise((resolve, reject) =>
          client.makeUnaryRequest(path, same, same, requests[i], (error, answer) => (error ? reject(error) : resolve(answer))),
        );
    },
    'node-http': () => {
      const agent = new http.Agent({ keepAlive: true });
      closers.push(() => agent.destroy());
      const urls = ids.map((id) => `${url}/operations/${encodeURIComponent(id)}`);
      return (i) => bareGet(urls[i], agent);
    },
  };
  const peers = Object.fromEntries(names.map((name) => [name, make[name]()]));
  return {
    peers,
    close() {
      for (const close of closers) close();
    },
  };
}

/** All `polls` of `loops` loops (`loops` ids), each awaiting `poll(i)` in turn; the work's wall ms and CPU µs. */
export async function pollLoops(poll, loops, polls) {
  let left = polls;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async (_, i) => {
      while (left-- > 0) await poll(i);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuUs: used.user + used.system };
}
