import { defineConfig } from 'vitest/config';
import { GLOBAL_SETUP, REPORTERS, shared } from './vitest.config.ts';

/**
 * The tests that must run long on real clocks (`npm run test:long`; .ci/run runs them after
 * `npm test`): each holds a rule at its real, fixed length, which `npm test` checks at a shorter,
 * injected one. See test/long/README.md.
 */
export default defineConfig({
  ...shared,
  test: { ...shared.test, include: ['test/long/**/*.test.ts'], globalSetup: GLOBAL_SETUP, reporters: REPORTERS },
});
