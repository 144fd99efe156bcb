/**
 * Row "import cost", in a fresh process: the time of `import('yc-operation')` (what every user
 * pays; `@grpc/grpc-js` and protobufjs are not loaded by it), then, with BENCH_GRPC=1, the time of
 * the module a gRPC client loads at its first call (grpc-js, protobufjs and the descriptor).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, report } from '../lib.mjs';

const start = performance.now();
await import('yc-operation');
const indexMs = performance.now() - start;
let grpcMs = null;
if (process.env.BENCH_GRPC === '1') {
  const chunk = readdirSync(join(ROOT, 'dist')).find((file) => /^grpc-channel-.*\.js$/.test(file));
  const before = performance.now();
  await import(join(ROOT, 'dist', chunk));
  grpcMs = performance.now() - before;
}
report({ indexMs, grpcMs });
