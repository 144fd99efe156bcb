#!/usr/bin/env node
/**
 * The `yc-operation` command: get, wait on and cancel Yandex Cloud operations with the SDK's
 * promise API, or run the emulator. Run `yc-operation --help`.
 *
 * Memory: V8's lite mode is switched on first, before any module of the program is compiled. It
 * gives up the optimizing compilers, which a program that mostly waits on the network has no use
 * for, and saves about 6 MB of the peak RSS of `get` (docs/guide-cli.md has the figures). It is
 * set here, in the process's entry, and never in `./run` (which tests run in their own process).
 *
 * Ctrl-C: no SIGINT handler is installed, on purpose: Node's default action ends the process
 * at once, by SIGINT, which shells report as exit status 130.
 *
 * A closed stdout or stderr (EPIPE: the reader of a pipe went away) ends the process quietly
 * with exit code 141, as SIGPIPE ends other programs; Node ignores SIGPIPE, so without this the
 * write's 'error' event would print a stack and exit 1, the code of a failed operation.
 *
 * The SDK loads only when a command runs (and the error path when one fails): `--version` and
 * `--help` load none of it.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--lite-mode');
const [{ flagValues }, { ExitCode }, { Io, redactor }, { SECRET_FLAGS }, { run }] = await Promise.all([
  import('./arguments'),
  import('./exit-codes'),
  import('./io'),
  import('./program'),
  import('./run'),
]);

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(ExitCode.brokenPipe);
  });
}
const io = new Io(process.stdout, process.stderr, redactor(flagValues(process.argv, SECRET_FLAGS)));
process.exitCode = await run(process.argv, io);
