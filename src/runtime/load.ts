/**
 * Modules the SDK loads at first use rather than at import: axios and the HTTP stack (first
 * request of the promise flavour, or inside the blocking flavour's worker), synckit (first
 * blocking call). Importing the SDK loads none of them. They are required from this build's own
 * location, as CommonJS. So is the protobuf code that reads an `Any` of the official SDK's objects.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AIStudioError } from '../core/errors';
import type { AnyReader } from '../core/sdk-operation';

/**
 * This build's file URL: `import.meta.url` in the ESM build; in the CJS build, and in an app
 * bundled to CommonJS (where `import.meta.url` is empty), the module's `__filename`. (A global
 * `__filename` that Node sets under `node -e` and in piped scripts is never read from ESM.)
 */
export function buildUrl(): string {
  return import.meta.url || pathToFileURL(__filename).href;
}

let requireHere: NodeJS.Require | null = null;

/** `require(id)` from this build's location. */
export function loadAtFirstUse<T>(id: string): T {
  requireHere ??= createRequire(buildUrl());
  return requireHere(id) as T;
}

/**
 * Where this build's `dist/` folder is, relative to the build's file: set by the build
 * (`tsup.config.ts`: `./` for the library entries, `../` for the blocking worker); `./` elsewhere.
 */
declare const YC_OPERATION_DIST_ROOT: string | undefined;

/** The URL of a file of this package's `dist/` (a module loaded at first use with `import()`). */
export function distFileUrl(path: string): string {
  const root = typeof YC_OPERATION_DIST_ROOT === 'string' ? YC_OPERATION_DIST_ROOT : './';
  return new URL(root + path, buildUrl()).href;
}

let uuid: (() => string) | null = null;

/** A random UUID (node:crypto loads at the first call, not at import). */
export function randomUUID(): string {
  uuid ??= loadAtFirstUse<typeof Crypto>('node:crypto').randomUUID;
  return uuid();
}

let anyReader: AnyReader | null = null;

/**
 * The JSON of an `Any` by this package's protobuf descriptor (`dist/proto/to-json.cjs`, which
 * requires protobufjs), loaded at the first call: `fromOperation()` of an official SDK object.
 */
export function readAny(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  if (anyReader === null) {
    try {
      anyReader = loadAtFirstUse<{ anyJson: AnyReader }>(fileURLToPath(distFileUrl('proto/to-json.cjs'))).anyJson;
    } catch (error) {
      throw missingPeer(error, ['protobufjs'], 'reading an Operation of the official SDK (its Any values)');
    }
  }
  return anyReader(typeUrl, value);
}

/** What gRPC calls need: optional peer dependencies of this package, installed by those who call gRPC. */
export const GRPC_PEERS = ['@grpc/grpc-js', 'protobufjs'] as const;

/**
 * The error of a failed load: when it failed because a package of `peers` (optional peer
 * dependencies) is not installed, an {@link AIStudioError} that says what to install and what
 * needs it (`use`); any other error as it is.
 */
export function missingPeer(error: unknown, peers: readonly string[], use: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return error;
  const text = String((error as Error).message);
  const missing = peers.filter((name) => text.includes(`'${name}'`) || text.includes(`"${name}"`));
  if (missing.length === 0) return error;
  return new AIStudioError(
    `${use} needs ${missing.join(' and ')}, which is not installed (an optional peer dependency of yc-operation): npm install ${peers.join(' ')}`,
    { cause: error },
  );
}
