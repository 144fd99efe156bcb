/** `yc-operation completion bash|zsh|fish`: each script is produced and names every command; bash's is valid bash. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from './helpers/cli';

const COMMANDS = ['get', 'wait', 'cancel', 'emulator', 'completion'];

/** Runs `script` in bash and returns what it printed. */
function bash(script: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 10_000 });
}

describe.each(['bash', 'zsh', 'fish'])('completion %s', (shell) => {
  it('prints a script that names every command, and the choices of --output', async () => {
    const result = await runCli(['completion', shell]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`\\b${command}\\b`));
    expect(result.stdout).toContain('text json yaml');
    expect(result.stdout).toContain('poll-interval');
  });
});

describe('the bash script', () => {
  it('is valid bash, and completes commands, flags and values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yc-operation-completion-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'completion.bash');
    writeFileSync(file, (await runCli(['completion', 'bash'])).stdout);
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
    const complete = (...words: string[]) =>
      bash(
        `source '${file}'; COMP_WORDS=(yc-operation ${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length}; _yc_operation; printf '%s\\n' "\${COMPREPLY[@]}"`,
      )
        .stdout.trim()
        .split('\n');
    expect(complete('')).toEqual(expect.arrayContaining(COMMANDS));
    expect(complete('wait', 'abc', '--poll')).toEqual(['--poll-interval', '--poll-timeout']);
    expect(complete('get', 'abc', '-o', '')).toEqual(['text', 'json', 'yaml']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh', 'fish', '--help']);
    expect(complete('emulator', '--')).not.toContain('--endpoint');
  });

  it('an unknown shell is a usage error', async () => {
    const result = await runCli(['completion', 'powershell']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^yc-operation: .*Allowed choices are bash, zsh, fish/);
  });
});
