/** `YC_OPERATION_LOG`: the console logger of the environment (src/transport/env-logger.ts). */
import { describe, expect, test, vi } from 'vitest';
import { envLogger, LOG_LEVELS } from '../src/transport/env-logger';

/** A stream that keeps what is written to it. */
function sink() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text) };
}

/** Logs one line at every level through the logger `value` asks for; returns what was written. */
function logAtEveryLevel(value: string, env: NodeJS.ProcessEnv = {}) {
  const stream = sink();
  const logger = envLogger({ ...env, YC_OPERATION_LOG: value }, stream);
  for (const level of LOG_LEVELS) logger?.[level](`a ${level} line`);
  return { logger, lines: stream.lines };
}

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z yc-operation (debug|info|warn|error): a \1 line\n$/;

describe('envLogger', () => {
  test.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    [' DEBUG ', ['debug', 'info', 'warn', 'error']],
    ['Warn', ['warn', 'error']],
  ])('YC_OPERATION_LOG=%j logs that level and above, one stamped line a call', (value, levels) => {
    const { lines } = logAtEveryLevel(value);
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines.map((line) => LINE.exec(line)![1])).toEqual(levels);
  });

  test('unset or empty: no logger, nothing written', () => {
    const stream = sink();
    expect(envLogger({}, stream)).toBeNull();
    expect(envLogger({ YC_OPERATION_LOG: '  ' }, stream)).toBeNull();
    expect(stream.lines).toEqual([]);
  });

  test('an invalid value is ignored, with one warning naming the accepted values, once per value', () => {
    const stream = sink();
    expect(envLogger({ YC_OPERATION_LOG: 'verbose' }, stream)).toBeNull();
    expect(envLogger({ YC_OPERATION_LOG: 'verbose' }, stream)).toBeNull();
    expect(envLogger({ YC_OPERATION_LOG: 'trace' }, stream)).toBeNull();
    expect(stream.lines).toEqual([
      'yc-operation: ignoring YC_OPERATION_LOG="verbose": expected one of debug, info, warn, error\n',
      'yc-operation: ignoring YC_OPERATION_LOG="trace": expected one of debug, info, warn, error\n',
    ]);
  });

  test('formats its arguments as console.log does', () => {
    const stream = sink();
    envLogger({ YC_OPERATION_LOG: 'info' }, stream)!.info('%s polls, %d s', 'three', 4, { extra: true });
    expect(stream.lines[0]).toMatch(/ yc-operation info: three polls, 4 s \{ extra: true \}\n$/);
  });

  test("masks the environment's credentials, should a line ever carry one; not values too short to be one", () => {
    const key = 'AQVN-env-api-key-0123456789';
    const stream = sink();
    const logger = envLogger({ YC_OPERATION_LOG: 'debug', YC_API_KEY: key, YC_TOKEN: 'short' }, stream)!;
    logger.debug(`Authorization: Api-Key ${key}`);
    logger.warn('a short line');
    expect(stream.lines[0]).toMatch(/ yc-operation debug: Authorization: Api-Key <redacted>\n$/);
    expect(stream.lines[1]).toMatch(/ yc-operation warn: a short line\n$/);
  });

  test('writes to process.stderr by default', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      envLogger({ YC_OPERATION_LOG: 'error' })!.error('to stderr');
      expect(write.mock.calls.map(([text]) => String(text))).toEqual([expect.stringMatching(/ yc-operation error: to stderr\n$/)]);
    } finally {
      write.mockRestore();
    }
  });
});
