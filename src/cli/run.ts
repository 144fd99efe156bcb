/**
 * One run of the command line: parses `argv` (as `process.argv`), runs its command with `io`, and
 * resolves with the exit code. `src/cli/main.ts` runs it on the process's own streams; the tests
 * run it in-process with their own (test/helpers/cli.ts).
 */
import { CommanderError } from 'commander';
import { ExitCode } from './exit-codes';
import type { Io } from './io';
import { buildProgram } from './program';

/** Runs the command line `argv` (as `process.argv`) and resolves with its exit code. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  try {
    await buildProgram(io, (exit) => (code = exit)).parseAsync([...argv]);
    return code;
  } catch (error) {
    // Commander has printed its message already; only --help and --version end with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    const [{ exitCodeOf }, { describeError, inCliTerms }] = await Promise.all([import('./error-exit'), import('./format')]);
    const exit = exitCodeOf(error);
    // --debug anywhere on the line (before a bad flag, commander may not have parsed it), or YC_OPERATION_LOG=debug.
    const debug = argv.includes('--debug') || process.env.YC_OPERATION_LOG?.trim().toLowerCase() === 'debug';
    const text = describeError(error, debug);
    io.err(`yc-operation: ${exit === ExitCode.usage ? inCliTerms(text) : text}`);
    if (exit === ExitCode.internal && error instanceof Error && error.stack) io.err(error.stack);
    return exit;
  }
}
