import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

/**
 * What every test file shares, here and in vitest.long.config.ts. End-to-end tests import the
 * package by its name, resolved to the build (`dist`), the way users import it; the global setup
 * builds it first, since worker threads need prebuilt JavaScript. Unit tests of `src/core` import
 * the sources directly.
 */
export const shared = {
  resolve: {
    alias: [
      { find: /^yc-operation\/testing$/, replacement: dist('testing/index.js') },
      { find: /^yc-operation\/bullmq$/, replacement: dist('bullmq/index.js') },
      { find: /^yc-operation$/, replacement: dist('index.js') },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // No test may reach a real cloud address: the metadata-service probe of the credential
    // chain goes to a closed loopback port instead of the link-local address.
    env: { YC_METADATA_ADDR: '127.0.0.1:9' },
  },
} satisfies ViteUserConfig;

export const GLOBAL_SETUP = ['test/global-setup.ts'];
export const REPORTERS = ['default', './test/summary-reporter.ts'];

/**
 * Files that load the CPU with thousands of waits, each with a real 4 s timeout: they run after
 * the others, one at a time, so that no other file's work makes their waits late.
 */
const ALONE = ['test/engine/starvation.test.ts', 'test/resilience/load.test.ts'];

/**
 * Test files run in parallel, at least four at once: most of their time is spent waiting on
 * sockets, timers and child processes, not on the CPU (vitest's default, one fewer than the cores,
 * would run one at a time on a 2-core machine). Then the `ALONE` files, one at a time. The tests
 * that must run long on real clocks are in test/long, run by `npm run test:long`.
 */
export default defineConfig({
  test: {
    reporters: REPORTERS,
    maxWorkers: Math.max(4, availableParallelism()),
    projects: [
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: ['test/long/**', ...ALONE],
          globalSetup: GLOBAL_SETUP,
          sequence: { groupOrder: 0 },
        },
      },
      {
        ...shared,
        test: { ...shared.test, name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
