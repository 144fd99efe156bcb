/**
 * Modules the SDK loads at first use rather than at import: axios and the HTTP stack (first
 * request of the promise flavour, or inside the blocking flavour's worker), synckit (first
 * blocking call). Importing the SDK loads none of them. They are required from this build's own
 * location, as CommonJS.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

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
