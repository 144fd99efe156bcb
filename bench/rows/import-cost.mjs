/**
 * Row "import cost", in a fresh process: the time of `import('yc-operation')` (what every user
 * pays; `@grpc/grpc-js` and protobufjs are not loaded by it), then, with BENCH_GRPC=1, the time of
 * the module a gRPC client loads at its first call (grpc-js, protobufjs and the descriptor).
 */
import { join } from 'node:path';
import { ROOT, report } from '../lib.mjs';

const start = performance.now();
await import('yc-operation');
const indexMs = performance.now() - start;
let grpcMs = null;
if (process.env.BENCH_GRPC === '1') {
  const before = performance.now();
  await import(join(ROOT, 'dist', 'transport', 'grpc-channel.js'));
  grpcMs = performance.now() - before;
}
report({ indexMs, grpcMs });
