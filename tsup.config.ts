import { defineConfig } from 'tsup';

/**
 * Three builds:
 * - the library entries (ESM + CJS + types), imported by users;
 * - the BullMQ integration (ESM + CJS + types), which imports the library by its package name;
 * - the programs (worker threads, CLI, demo), ESM only. Workers bundle the SDK code they run;
 *   the CLI and demo import the library by its package name, like any user.
 * synckit stays external everywhere: bundling it breaks its worker bootstrap.
 * Source maps map stack traces (`node --enable-source-maps`) to `src/` file names and lines;
 * they carry no `sourcesContent`, which would ship every source a second time.
 */
const esbuildOptions = (options: { sourcesContent?: boolean }) => {
  options.sourcesContent = false;
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    shims: true,
    sourcemap: true,
    esbuildOptions,
    target: 'node20',
    platform: 'node',
    external: ['synckit', 'axios'],
  },
  {
    // yc-operation/bullmq imports the SDK by its package name, so that it shares the root's
    // classes in both formats: an error it rebuilds is an instanceof the class users import.
    entry: { 'bullmq/index': 'src/bullmq/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    esbuildOptions,
    target: 'node20',
    platform: 'node',
    external: ['bullmq', 'yc-operation'],
  },
  {
    entry: {
      'sync/worker': 'src/sync/worker.ts',
      'testing/emulator-worker': 'src/testing/emulator-worker.ts',
      'cli/main': 'src/cli/main.ts',
      'demo/main': 'src/demo/main.ts',
    },
    format: ['esm'],
    shims: true,
    sourcemap: true,
    esbuildOptions,
    target: 'node20',
    platform: 'node',
    external: ['synckit', 'axios', 'yc-operation', 'yc-operation/testing'],
  },
]);
