/**
 * `npm start`'s script (`node dist/demo/main.js`, built by the global setup), run as a child
 * process: its report tells each outcome in plain words, in both flavours, and it exits 0.
 * The demo talks only to its own emulator on 127.0.0.1, with explicit credentials. Run at a
 * quarter of its durations by test/demo.test.ts (src/demo/time-scale.ts), at full length by
 * test/long/demo.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from './child';

const DEMO = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));

/** The demo's test at time scale `scale`. */
export function describeDemo(scale: number): void {
  describe(`npm start (the demo), at time scale ${scale}`, () => {
    it('waits on four operations with both APIs, explains each outcome, shows the start helpers, and exits 0', {
      timeout: 90_000,
    }, async () => {
      const startedAt = performance.now();
      const result = await runNode([DEMO], { YC_METADATA_ADDR: '127.0.0.1:9', YC_OPERATION_DEMO_TIME_SCALE: String(scale) }, 80_000);
      const seconds = (performance.now() - startedAt) / 1000;

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = result.stdout;
      expect(report).toMatch(/emulator at http:\/\/127\.0\.0\.1:\d+/);
      const [asyncPart, rest] = report.split(/^2\. Blocking API.*$/m);
      const [blockingPart, producers] = rest!.split(/^3\. Start helpers.*$/m);
      expect(asyncPart).toContain('1. Promise API: AsyncOperation.wait() on all four at once');
      for (const part of [asyncPart!, blockingPart!]) {
        expect(part).toMatch(/fine-tuning +running: training \d+%/);
        expect(part).toMatch(/fine-tuning +succeeded after \d+ polls?: wait\(\) returned gpt:\/\/\S+@demo-tuned/);
        expect(part).toMatch(
          /dataset import +failed after \d+ polls?: wait\(\) threw RunError, FAILED_PRECONDITION \(code 9\): Dataset "reviews.jsonl" has no valid rows/,
        );
        expect(part).toContain('detail: {"@type":"type.googleapis.com/google.rpc.BadRequest"');
        expect(part).toMatch(/batch export +still running: the demo calls cancel\(\)/);
        expect(part).toMatch(/batch export +was cancelled after \d+ polls?: wait\(\) threw RunError, CANCELLED \(code 1\)/);
        expect(part).toContain(`when its pollTimeout of ${1.5 * scale} s ran out: wait() threw OperationTimeoutError`);
        expect(part).toMatch(/nightly report +still running after \d+ polls?, when its pollTimeout/);
      }
      expect(producers!).toMatch(/completionAsync +wait\(\) returned the completion "Hello, queue"/);
      expect(producers!).toMatch(/imageGenerationAsync +wait\(\) returned a 28-byte image/);
      expect(producers!).toMatch(/webSearchAsync +wait\(\) returned \d+ bytes of XML; with parse: true also as text: <\?xml/);
      expect(producers!).toMatch(/createSearchIndex +wait\(\) returned search index fvt\w+ "manuals"/);
      expect(producers!).toMatch(
        /run \(assistant\) +not an Operation, its own status kind: PENDING → .*COMPLETED; cancel\(\) threw CancelNotSupportedError/,
      );
      expect(report).toMatch(/Every outcome as expected, with both APIs, in \d+\.\d s\./);
      // About 10 s at scale 1 on an idle machine; the bound only catches a demo that hangs.
      expect(seconds).toBeLessThan(60);
    });
  });
}
