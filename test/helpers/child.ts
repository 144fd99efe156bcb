import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: `yc-operation` resolves to the build there, by package self-reference. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** When the child printed a line starting with `LAST`, the milliseconds from it to the exit. */
  afterLastLineMs: number | null;
}

/** Runs `node <args>` in the repository root and collects what it printed and how it ended. */
export function runNode(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let lastLineAt: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (lastLineAt === null && /^LAST/m.test(stdout)) lastLineAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const afterLastLineMs = lastLineAt === null ? null : performance.now() - lastLineAt;
      resolve({ code, signal, stdout, stderr, afterLastLineMs });
    });
  });
}
