import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * Where the SDK's own axios is bundled (the blocking flavour's worker, and the promise flavour's
 * copy, `dist/transport/axios.cjs`), the parts of axios the SDK never uses are left out, since
 * the SDK's requests go through its own adapter (`src/transport/http-adapter.ts`) and never send
 * a multipart body:
 * - empty modules stand in for axios's http, fetch and xhr adapters and for the `form-data`
 *   package: no follow-redirects, https-proxy-agent, proxy-from-env, http2, zlib nor mime-db at
 *   load. An adapter asked for by name is then "not available in the build" (the SDK names none);
 * - axios's probe of the global `FormData` (its `lib/utils.js`) is left out: reading that global
 *   makes Node load its fetch implementation (undici, about 10 MB of RSS). `isFormData()` still
 *   knows a FormData by its tag. The build fails if a new axios no longer has the probe's text.
 * A user's own axios instance (the `axios` option) is the user's module, untouched by any of this.
 */
const FORM_DATA_PROBE = "typeof G.FormData !== 'undefined' ? G.FormData : undefined";
const withoutUnusedAxiosParts: Plugin = {
  name: 'without-unused-axios-parts',
  setup(build) {
    const adapter = /^\.\/(http|fetch|xhr)\.js$/;
    build.onResolve({ filter: /^(\.\/(http|fetch|xhr)\.js|form-data)$/ }, (args) =>
      args.importer.includes('/node_modules/axios/') &&
      (args.path === 'form-data' || (adapter.test(args.path) && args.importer.endsWith('/adapters/adapters.js')))
        ? { path: args.path, namespace: 'unused-axios-part' }
        : undefined,
    );
    // The fetch adapter is imported as a namespace whose getFetch() axios calls: it finds none.
    build.onLoad({ filter: /.*/, namespace: 'unused-axios-part' }, (args) => ({
      contents: args.path === './fetch.js' ? 'export const getFetch = () => undefined;' : 'export default undefined;',
      loader: 'js',
    }));
    build.onLoad({ filter: /\/node_modules\/axios\/lib\/utils\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(FORM_DATA_PROBE))
        return { errors: [{ text: `axios's probe of the global FormData changed: update FORM_DATA_PROBE in tsup.config.ts` }] };
      return { contents: source.replace(FORM_DATA_PROBE, 'undefined'), loader: 'js' };
    });
  },
};

/**
 * In the BullMQ integration's bundle, the core rules it runs (src/core/wait-state.ts and the
 * checks and policies it uses: pure functions) are bundled, since the package does not export
 * them and its public `.d.ts` must not name them ("the third runner", docs/architecture.md).
 * The core modules that hold classes (errors, statuses) resolve to `yc-operation` instead, so
 * that an `OperationTimeoutError` a worker makes is the root's class, `instanceof` and all; only
 * names the root exports are imported from them (test/bullmq/build.test.ts checks). A module that
 * keeps state by identity (the deadline marks of src/core/deadline.ts), or any folder but
 * src/core and src/bullmq, must not be bundled twice: the build fails if the integration imports one.
 */
const coreClassesFromThePackage: Plugin = {
  name: 'core-classes-from-the-package',
  setup(build) {
    const src = new URL('./src/', import.meta.url).pathname;
    const fromPackage = new Set(['core/errors', 'core/status']);
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = new URL(args.path, `file://${args.resolveDir}/`).pathname.replace(/\.ts$/, '');
      if (!target.startsWith(src)) return undefined;
      const module = target.slice(src.length);
      if (fromPackage.has(module)) return { path: 'yc-operation', external: true };
      if (module.startsWith('bullmq/') || (module.startsWith('core/') && module !== 'core/deadline')) return undefined;
      return { errors: [{ text: `yc-operation/bullmq must not bundle src/${module}: import it from 'yc-operation', or keep it out` }] };
    });
  },
};

/**
 * Seven builds:
 * - the library entries (ESM + CJS + types), imported by users. No shims and no shared chunks:
 *   each entry finds its own location itself (src/runtime/load.ts), also inside an app bundled
 *   to CommonJS, where a shim of `import.meta.url` would throw at import;
 * - the BullMQ integration (ESM + CJS + types), which imports the library by its package name,
 *   so that it shares the root's classes in both formats, and bundles the pure core rules it runs;
 * - the gRPC channel (`dist/transport/grpc-channel.js`), loaded at a gRPC client's first call;
 * - the promise flavour's axios (`dist/transport/axios.cjs`), axios inlined without the parts the
 *   SDK never uses, required at the first request;
 * - the `Any` reader (`dist/proto/to-json.cjs`), required at the first fromOperation() of an
 *   official SDK object;
 * - the blocking flavour's worker: one file, axios inlined, so that it starts from wherever it is
 *   copied (only synckit is resolved from its location);
 * - the programs (emulator worker, CLI, demo), ESM only, with protobufjs inlined (an optional
 *   peer: the emulator runs without it). The CLI and demo import the library by its package
 *   name, like any user.
 * synckit stays external everywhere: bundling it breaks its worker bootstrap. Source maps map stack
 * traces (`node --enable-source-maps`) to `src/` file names and lines; they carry no
 * `sourcesContent`, which would ship every source a second time.
 */
const withoutSourcesContent = (options: { sourcesContent?: boolean }) => {
  options.sourcesContent = false;
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    // Members marked `@internal` (what a client lends its operations) stay out of the public types.
    dts: { compilerOptions: { stripInternal: true } },
    shims: false,
    splitting: false, // each entry finds its files relative to itself: no shared chunk elsewhere
    // The CJS build reads `__filename` where `import.meta.url` is empty, on purpose.
    esbuildOptions: (options) => {
      withoutSourcesContent(options);
      options.logOverride = { 'empty-import-meta': 'silent' };
    },
    define: { YC_OPERATION_DIST_ROOT: JSON.stringify('./') },
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    external: ['synckit', 'axios'],
  },
  {
    entry: { 'bullmq/index': 'src/bullmq/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    target: 'node20',
    platform: 'node',
    external: ['bullmq', 'yc-operation'],
    esbuildPlugins: [coreClassesFromThePackage],
  },
  {
    entry: { 'sync/worker': 'src/sync/worker.ts' },
    format: ['esm'],
    splitting: false,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    target: 'node20',
    platform: 'node',
    external: ['synckit'],
    noExternal: ['axios'],
    define: { YC_OPERATION_DIST_ROOT: JSON.stringify('../') },
    esbuildPlugins: [withoutUnusedAxiosParts],
    // axios's CommonJS dependencies require Node's modules: give the ES module a `require`.
    banner: {
      js: "import { createRequire as createRequireOfWorker } from 'node:module'; const require = createRequireOfWorker(import.meta.url);",
    },
  },
  {
    // The gRPC channel (grpc-js and the protobuf code), loaded with import() at a gRPC client's
    // first call (src/runtime/load.ts distFileUrl): a file of its own, so that no build inlines it.
    entry: { 'transport/grpc-channel': 'src/transport/grpc-channel.ts' },
    format: ['esm'],
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    target: 'node20',
    platform: 'node',
  },
  {
    // The promise flavour's axios (src/transport/axios-copy.ts), required at the first request
    // (src/transport/axios.ts): CommonJS, since the transport is synchronous where it loads it.
    entry: { 'transport/axios': 'src/transport/axios-copy.ts' },
    format: ['cjs'],
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    target: 'node20',
    platform: 'node',
    noExternal: ['axios'],
    esbuildPlugins: [withoutUnusedAxiosParts],
  },
  {
    // The proto3 JSON of an `Any` (protobufjs and the descriptor), required at the first
    // fromOperation() of an official SDK object (src/runtime/load.ts readAny): CommonJS, since
    // fromOperation() is synchronous in both flavours.
    entry: { 'proto/to-json': 'src/proto/to-json.ts' },
    format: ['cjs'],
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: {
      'testing/emulator-worker': 'src/testing/emulator-worker.ts',
      'cli/main': 'src/cli/main.ts',
      'demo/main': 'src/demo/main.ts',
    },
    format: ['esm'],
    shims: true,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    target: 'node20',
    platform: 'node',
    external: ['synckit', 'axios', 'yc-operation', 'yc-operation/testing'],
    // The emulator's gRPC messages: protobufjs is an optional peer of the package (gRPC calls
    // need it), bundled here so that the emulator runs without it.
    noExternal: ['protobufjs'],
  },
]);
