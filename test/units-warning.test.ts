/**
 * A time option that looks like milliseconds (issue 22, item 8) is taken as seconds, with one
 * warning per client naming the unit, through the client's logger; YC_OPERATION_UNIT_WARNINGS=off
 * silences it. The thresholds are documented in docs/guide-waiting.md.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from './helpers/flavours';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
afterEach(() => {
  delete process.env.YC_OPERATION_UNIT_WARNINGS;
});

function recorder() {
  const warnings: string[] = [];
  const none = () => {};
  return { warnings, logger: { debug: none, info: none, warn: (m: string) => warnings.push(m), error: none } };
}

test.each(FLAVOURS)('$name: a millisecond-looking value is warned about once per client, naming the unit', async (flavour) => {
  const { warnings, logger } = recorder();
  const client = flavour.client({ endpoint: emu.url, auth: null, logger });
  const id = await emu.create({ donePolls: 1, response: { ok: 1 } });
  const op = client.operation(id);
  // pollTimeout 2 592 001 s is just over 30 days; a tuning's 72 h (259 200 s) is not warned about.
  await op.wait({ timeout: 5000, pollTimeout: 2_592_001, pollInterval: 5000 });
  await op.wait({ timeout: 5000, pollTimeout: 2_592_001, pollInterval: 5000 });
  await client.operation(id).getStatus({ timeout: 5000 });
  await op.wait({ timeout: 3599, pollTimeout: 259_200, pollInterval: 999 });
  client.close();
  expect(warnings).toEqual([
    'timeout: 5000 is in seconds (83 min); did you mean 5?',
    'pollTimeout: 2592001 is in seconds (30 days); did you mean 2592.001?',
    'pollInterval: 5000 is in seconds (83 min); did you mean 5?',
  ]);
  // another client says it again
  const other = recorder();
  const second = flavour.client({ endpoint: emu.url, auth: null, logger: other.logger });
  await second.operation(id).getResult({ timeout: 7200 });
  second.close();
  expect(other.warnings).toEqual(['timeout: 7200 is in seconds (2 h); did you mean 7.2?']);
});

test.each(FLAVOURS)('$name: YC_OPERATION_UNIT_WARNINGS=off silences the warning', async (flavour) => {
  process.env.YC_OPERATION_UNIT_WARNINGS = 'off';
  const { warnings, logger } = recorder();
  const client = flavour.client({ endpoint: emu.url, auth: null, logger });
  const id = await emu.create({ donePolls: 1, response: { ok: 1 } });
  await client.operation(id).wait({ pollInterval: 5000, timeout: 5000 });
  client.close();
  expect(warnings).toEqual([]);
});
