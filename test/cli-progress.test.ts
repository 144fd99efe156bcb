/**
 * The progress of `yc-operation wait`: what its lines look like (src/cli/progress-view.ts, pure),
 * the live line between polls (src/cli/progress.ts, on a fake clock), and the real thing: the
 * heartbeat of a long wait whose output is piped, and the bar on a pseudo-terminal (`script`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OperationStatus } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { Io } from '../src/cli/io';
import { Progress } from '../src/cli/progress';
import {
  etaMs,
  formatDuration,
  HEARTBEAT_SECONDS,
  HEARTBEAT_VARIABLE,
  heartbeatLine,
  heartbeatMs,
  liveLine,
  percentOf,
  progressBar,
} from '../src/cli/progress-view';
import { ROOT, runNode } from './helpers/child';
import { CLEAN_ENV } from './helpers/cli';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const TYPE = 'type.googleapis.com/test.Progress';

describe('the view (pure)', () => {
  it('the heartbeat comes every 30 s by default; the internal variable sets it in seconds for tests', () => {
    expect(HEARTBEAT_SECONDS).toBe(30);
    expect(heartbeatMs({})).toBe(30_000);
    expect(heartbeatMs({ [HEARTBEAT_VARIABLE]: '0.5' })).toBe(500);
    for (const bad of ['', '0', '-1', 'soon', 'Infinity']) expect(heartbeatMs({ [HEARTBEAT_VARIABLE]: bad })).toBe(30_000);
  });

  it('finds a percentage in a field whose name holds "percent", from 0 to 100, a number or a numeric string', () => {
    expect(percentOf({ '@type': TYPE, stage: 'x', percent: 40 })).toBe(40);
    expect(percentOf({ progressPercent: '12.5' })).toBe(12.5);
    expect(percentOf({ completionPercentage: 100 })).toBe(100);
    for (const none of [
      null,
      undefined,
      'text',
      [40],
      { progress: 0.4 },
      { percent: 140 },
      { percent: -1 },
      { percent: '' },
      { percent: 'soon' },
      { percent: true },
    ]) {
      expect(percentOf(none)).toBeNull();
    }
  });

  it('estimates the time left at the average pace since the first percentage', () => {
    expect(etaMs({ percent: 10, atMs: 0 }, { percent: 40, atMs: 30_000 })).toBe(60_000);
    expect(etaMs({ percent: 40, atMs: 0 }, { percent: 40, atMs: 30_000 })).toBeNull();
    expect(etaMs({ percent: 40, atMs: 0 }, { percent: 30, atMs: 30_000 })).toBeNull();
  });

  it('writes durations, bars and lines', () => {
    expect([formatDuration(400), formatDuration(45_000), formatDuration(125_000), formatDuration(3_725_000)]).toEqual([
      '0 s',
      '45 s',
      '2 min 5 s',
      '1 h 2 min',
    ]);
    expect([progressBar(0), progressBar(40), progressBar(100), progressBar(50, 4)]).toEqual([
      `[${'-'.repeat(20)}]`,
      `[${'#'.repeat(8)}${'-'.repeat(12)}]`,
      `[${'#'.repeat(20)}]`,
      '[##--]',
    ]);
    const view = { label: 'running', elapsedMs: 12_400, polls: 9, metadata: 'stage=working percent=40', percent: 40, etaMs: 72_000 };
    expect(liveLine(view, 200)).toBe('running [########------------]  40% ETA 1 min 12 s · 12.4 s · poll 9 · stage=working percent=40');
    expect(liveLine({ ...view, etaMs: null }, 200)).toBe(
      'running [########------------]  40% · 12.4 s · poll 9 · stage=working percent=40',
    );
    expect(liveLine({ ...view, percent: null, etaMs: null, metadata: 'step=2' }, 200)).toBe('running · 12.4 s · poll 9 · step=2');
    expect(liveLine(view, 21)).toBe('running [########--…');
    expect(heartbeatLine('abc', 60_000, 'running, stage=working', 30_000, 7)).toBe(
      '[60.0 s] still waiting on operation abc: running, stage=working (unchanged for 30.0 s, 7 polls)',
    );
    expect(heartbeatLine('abc', 30_000, null, 30_000, 0)).toBe('[30.0 s] still waiting on operation abc: no answer yet');
  });
});

describe('Progress on a fake clock', () => {
  afterEach(() => void vi.useRealTimers());

  function capture(isTTY: boolean) {
    const written: string[] = [];
    const stream = { isTTY, columns: 200, write: (text: string) => written.push(text) };
    return { io: new Io(stream, stream, (text) => text), written };
  }
  const status = (percent: number) =>
    ({
      isRunning: true,
      isSucceeded: false,
      isFailed: false,
      done: false,
      statusName: 'running',
      error: null,
      metadata: { percent },
    }) as unknown as OperationStatus;

  it('on a terminal, redraws the line every second between polls, the ETA counting down', () => {
    vi.useFakeTimers({ now: 0 });
    const { io, written } = capture(true);
    const progress = new Progress(io, { id: 'abc', live: true, heartbeatMs: 30_000 });
    progress.update(status(10));
    vi.advanceTimersByTime(10_000);
    progress.update(status(20));
    expect(written.at(-1)).toBe('\r\x1b[2Krunning [####----------------]  20% ETA 1 min 20 s · 10.0 s · poll 2 · percent=20');
    vi.advanceTimersByTime(5_000);
    expect(written.at(-1)).toBe('\r\x1b[2Krunning [####----------------]  20% ETA 1 min 15 s · 15.0 s · poll 2 · percent=20');
    progress.finish();
    const count = written.length;
    vi.advanceTimersByTime(5_000);
    expect(written.slice(count - 1)).toEqual(['\r\x1b[2K']);
  });

  it('off a terminal, writes a heartbeat after each silence of the interval, and none after finish()', () => {
    vi.useFakeTimers({ now: 0 });
    const { io, written } = capture(false);
    const progress = new Progress(io, { id: 'abc', live: false, heartbeatMs: 30_000 });
    vi.advanceTimersByTime(30_000);
    progress.update(status(10));
    vi.advanceTimersByTime(29_000);
    progress.update(status(10));
    vi.advanceTimersByTime(30_000);
    progress.finish();
    vi.advanceTimersByTime(60_000);
    expect(written).toEqual([
      '[30.0 s] still waiting on operation abc: no answer yet\n',
      '[30.0 s] poll 1: running, percent=10\n',
      '[60.0 s] still waiting on operation abc: running, percent=10 (unchanged for 30.0 s, 2 polls)\n',
    ]);
  });
});

describe('the CLI', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('with its output piped, a long wait writes a heartbeat line while nothing changes', async () => {
    const id = await emulator.create({ never: true, metadata: [{ '@type': TYPE, stage: 'training' }] });
    const args = [CLI, 'wait', id, '--endpoint', emulator.url, '--no-auth', '--poll-interval', '60', '--poll-timeout', '3'];
    const result = await runNode(args, { ...CLEAN_ENV, [HEARTBEAT_VARIABLE]: '0.5' });
    expect(result.code).toBe(3);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\[\d+\.\d s\] poll 1: running, stage=training$/);
    const beats = lines.filter((line) => line.includes('still waiting'));
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (const beat of beats)
      expect(beat).toMatch(
        new RegExp(
          `^\\[\\d+\\.\\d s\\] still waiting on operation ${id}: running, stage=training \\(unchanged for \\d+\\.\\d s, 1 poll\\)$`,
        ),
      );
    expect(lines.at(-1)).toMatch(/^yc-operation: operation \w+ still running after the poll timeout of 3 s/);
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'on a terminal, shows a bar with the percentage and an ETA, then clears it',
    async () => {
      const metadata = [10, 50, 100].map((percent) => ({ '@type': TYPE, percent }));
      const id = await emulator.create({ donePolls: 3, metadata, response: { '@type': TYPE } });
      const command = [process.execPath, CLI, 'wait', id, '--endpoint', emulator.url, '--no-auth', '--poll-interval', '0.3'].join(' ');
      const result = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, ...CLEAN_ENV },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/\r\x1b\[2Krunning \[##--+\] {2}10% · \d+\.\d s · poll 1 · percent=10/);
      expect(result.stdout).toMatch(/\r\x1b\[2Krunning \[#{10}-{10}\] {2}50% ETA \d+ s · \d+\.\d s · poll 2 · percent=50/);
      expect(result.stdout).toContain(`\r\x1b[2KOperation ${id}: success`);
    },
  );
});
