import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

/**
 * End-to-end tests import the package by its name, resolved to the build (`dist`), the way users
 * import it; the global setup builds it first, since worker threads need prebuilt JavaScript.
 * Unit tests of `src/core` import the sources directly.
 *
 * Test files run in parallel, at least four at once: most of their time is spent waiting on
 * sockets, timers and child processes, not on the CPU (vitest's default, one fewer than the cores,
 * would run one at a time on a 2-core machine). The tests that must run long on real clocks are
 * in test/long, run by `npm run test:long` (vitest.long.config.ts).
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^yc-operation\/testing$/, replacement: dist('testing/index.js') },
      { find: /^yc-operation\/bullmq$/, replacement: dist('bullmq/index.js') },
      { find: /^yc-operation$/, replacement: dist('index.js') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/long/**'],
    maxWorkers: Math.max(4, availableParallelism()),
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // No test may reach a real cloud address: the metadata-service probe of the credential
    // chain goes to a closed loopback port instead of the link-local address.
    env: { YC_METADATA_ADDR: '127.0.0.1:9' },
  },
});
