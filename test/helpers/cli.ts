/**
 * The `yc-operation` CLI run in this process (src/cli/run.ts) with its own argv, output streams
 * and environment, as `node dist/cli/main.js` would run it but without starting a process: for
 * what the CLI prints and the exit code it returns. What needs a process of its own (signals,
 * pipes, a terminal) runs `dist/cli/main.js` with test/helpers/child.ts instead.
 *
 * The environment is this process's for the length of the run (the CLI and the SDK read
 * `process.env`), then put back.
 * Runs must not overlap: tests that use this run one after another (vitest's default in a file).
 */
import { flagValues } from '../../src/cli/arguments';
import { Io, redactor } from '../../src/cli/io';
import { SECRET_FLAGS } from '../../src/cli/program';
import { run } from '../../src/cli/run';

/** No credentials from the test's own environment, and no metadata-service probe off this machine. */
export const CLEAN_ENV: Readonly<Record<string, string>> = {
  YC_API_KEY: '',
  YC_IAM_TOKEN: '',
  YC_OAUTH_TOKEN: '',
  YC_TOKEN: '',
  YC_METADATA_ADDR: '127.0.0.1:9',
};

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let running = false;

/** Sets `env` in `process.env` for the length of `body`, then puts the environment back. */
async function withEnv<T>(env: Record<string, string>, body: () => Promise<T> | T): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/** Runs `yc-operation <args>` in this process with `CLEAN_ENV` and `env` set; resolves with its exit code and output. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  if (running) throw new Error("runCli: one run at a time (the environment is the process's)");
  running = true;
  try {
    return await withEnv({ ...CLEAN_ENV, ...env }, () => runIn(args));
  } finally {
    running = false;
  }
}

/** One run of the command line, its output kept. */
async function runIn(args: string[]): Promise<CliRun> {
  const argv = [process.execPath, 'yc-operation', ...args];
  const output = { stdout: '', stderr: '' };
  const stream = (name: keyof typeof output) => ({ write: (text: string) => ((output[name] += text), true) });
  const code = await run(argv, new Io(stream('stdout'), stream('stderr'), redactor(flagValues(argv, SECRET_FLAGS))));
  return { code, ...output };
}
