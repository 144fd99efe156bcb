/**
 * Runs the conformance table on one path: every row that applies to it, each asserting that the
 * path's outcome equals the row's, and that no promise rejection went unhandled meanwhile. One open
 * path (one emulator, one client or queue) per file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { failOnUnhandledRejections } from '../resilience/harness';
import type { OpenPath } from './paths/client';
import { type PathName, rowsFor } from './table';

/**
 * `concurrent`: the rows run at once (each row has an operation, and a job, of its own). Not for
 * the blocking paths, which block the test's thread, nor for gRPC, where the rows share one
 * HTTP/2 connection and a row's connection reset would cut the others' calls.
 */
export function runTable(path: PathName, open: () => Promise<OpenPath>, { concurrent }: { concurrent: boolean }): void {
  describe(`conformance: ${path}`, () => {
    let opened: OpenPath | undefined;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(() => opened?.close());
    failOnUnhandledRejections();

    const define = concurrent ? test.concurrent : test;
    for (const row of rowsFor(path)) {
      define(
        `${row.group}: ${row.name}`,
        async () => {
          expect(await opened!.run(row)).toEqual(row.expected);
        },
        15_000,
      );
    }
  });
}
