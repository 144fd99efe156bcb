#!/usr/bin/env node
/**
 * The `yc-operation` command: get, wait on and cancel Yandex Cloud operations with the SDK's
 * promise API (no worker thread), or run the emulator. Run `yc-operation --help`.
 *
 * Ctrl-C: no SIGINT handler is installed, on purpose: Node's default action ends the process
 * at once, by SIGINT, even in the middle of a request, which shells report as exit status 130.
 *
 * A closed stdout or stderr (EPIPE: the reader of a pipe went away) ends the process quietly
 * with exit code 141, as SIGPIPE ends other programs; Node ignores SIGPIPE, so without this the
 * write's 'error' event would print a stack and exit 1, the code of a failed operation.
 *
 * The SDK loads only when a command runs (and the error path when one fails): `--version` and
 * `--help` load none of it.
 */
import { flagValues } from './arguments';
import { ExitCode } from './exit-codes';
import { Io, redactor } from './io';
import { SECRET_FLAGS } from './program';
import { run } from './run';

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(ExitCode.brokenPipe);
  });
}
const io = new Io(process.stdout, process.stderr, redactor(flagValues(process.argv, SECRET_FLAGS)));
process.exitCode = await run(process.argv, io);
