/** The wait logs as the reference does: info at the start, debug per running status, info on success, warning on failure. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from './helpers/flavours';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

function recorder() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

test.each(FLAVOURS)('$name: logs the start, each request, each running status, and the outcome', async (flavour) => {
  const { lines, logger } = recorder();
  const client = flavour.client({ endpoint: emu.url, auth: null, logger });
  const ok = await emu.create({ donePolls: 2 });
  await client.operation(ok).wait({ pollInterval: 0.01, pollTimeout: 30 });
  const bad = await emu.create({ error: { code: 3, message: 'nope' } });
  await client
    .operation(bad)
    .wait({ pollInterval: 0.01 })
    .catch(() => undefined);
  client.close();
  expect(lines).toContain(`debug GET ${emu.url}/operations/${ok} (attempt 1)`); // the transport's lines, from the worker too
  const waitLines = lines.filter((l) => !l.startsWith('debug GET'));
  expect(waitLines).toEqual([
    `info Polling operation ${ok}: every 0.01 s, poll timeout 30 s`,
    `debug Operation ${ok} is still running (poll 1): OperationStatus<running>`,
    `info Operation ${ok} succeeded`,
    `info Polling operation ${bad}: every 0.01 s, poll timeout 3600 s`,
    `warn Operation ${bad} failed: OperationStatus<failed, error=OperationErrorInfo(code=3, message="nope", details=[])>`,
  ]);
});
