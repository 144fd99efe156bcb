/**
 * The command line, declared with commander: global options, the four commands, and the help
 * text (credentials, exit codes, examples). Each command's action reports its exit code through
 * `finish`; errors propagate to the caller of `parseAsync`.
 */
import { Command, Option } from 'commander';
import { version } from '../../package.json';
import { parsePort, parseSeconds } from './arguments';
import type { CallCommandOptions, WaitCommandOptions } from './commands';
import { OUTPUT_FORMATS } from './output-formats';
import { EXIT_CODES_HELP, type ExitCode } from './exit-codes';
import type { Io } from './io';
import type { GlobalOptions } from './session';

/** The flags whose values are secrets. */
export const SECRET_FLAGS = ['--api-key', '--iam-token'] as const;

const HELP_AFTER = `
Credentials: --api-key or --iam-token, else the environment, as the SDK finds it: YC_API_KEY,
YC_IAM_TOKEN, YC_OAUTH_TOKEN, the VM metadata service, YC_TOKEN, the yc CLI. Prefer the
variables: a flag's value shows in the process list. No output ever shows a credential.

Environment: YC_OPERATION_ENDPOINT (the default of --endpoint), YC_OPERATION_LOG=debug|info|
warn|error (the SDK's log on stderr from that level up; --debug is YC_OPERATION_LOG=debug).
${EXIT_CODES_HELP}

Examples:
  yc-operation emulator --port 8080
  yc-operation --endpoint http://127.0.0.1:8080 --no-auth wait <id>
  YC_API_KEY=... yc-operation --endpoint llm wait <id> --poll-timeout 600
  yc-operation get <id> --output yaml
  yc-operation --quiet wait <id> && echo done`;

const outputOption = () =>
  new Option('--output <format>', "print the status for people (text), or in the Operation message's REST form as json or yaml")
    .choices(OUTPUT_FORMATS)
    .default('text');
const jsonOption = () => new Option('--json', 'the same as --output json').conflicts('output');
const timeoutOption = () =>
  new Option('--timeout <seconds>', 'bound of one request, its retries included (default: 60)').argParser(parseSeconds);

/** The program; `finish` receives the exit code of the command that ran. */
export function buildProgram(io: Io, finish: (code: ExitCode) => void): Command {
  const program = new Command('yc-operation')
    .description('Wait on Yandex Cloud long-running operations: get, wait on and cancel them by id.')
    .version(version)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(io.redact(text)),
      // One line: commander's message (its "Did you mean" suggestion joined on) and where to read more.
      outputError: (text, write) => write(`yc-operation: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see yc-operation --help)\n`),
    })
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .addOption(new Option('--endpoint <url>', "the API's base URL, or a short name: operation, llm").env('YC_OPERATION_ENDPOINT').default('operation'))
    .option('--allow-insecure-http', 'accept a plain http:// endpoint on a host other than this machine (credentials travel unencrypted)')
    .addOption(new Option('--api-key <key>', 'authenticate with an API key').conflicts('iamToken'))
    .option('--iam-token <token>', 'authenticate with an IAM token')
    .addOption(new Option('--no-auth', 'send no credentials (an emulator); skips the environment').conflicts(['apiKey', 'iamToken']))
    .option('--folder-id <id>', 'folder id sent as x-folder-id (default: YC_FOLDER_ID)')
    .option('--verbose', 'log requests and polls on stderr (without credentials)')
    .option('--debug', "log the SDK's debug lines on stderr, as YC_OPERATION_LOG=debug (without credentials)")
    .option('--quiet', 'print nothing but errors: no progress, no status; the exit code tells the outcome')
    .addOption(new Option('--protocol <protocol>', 'how the Operation API is called').choices(['rest', 'grpc']).default('rest'))
    .addHelpText('after', HELP_AFTER);

  /**
   * The action of a command on one operation: a blocking client for the length of the command.
   * The commands and the SDK load when one runs, so that `--help` and `--version` load neither.
   */
  const onOperation =
    (name: 'get' | 'wait' | 'cancel') =>
    async (id: string, options: CallCommandOptions & WaitCommandOptions, self: Command) => {
      const [commands, { withSession }] = await Promise.all([import('./commands'), import('./session')]);
      finish(withSession(self.optsWithGlobals<GlobalOptions>(), io, (session) => commands[name](id, options, session)));
    };

  program
    .command('get')
    .description("print an operation's status (exit 1 when it failed)")
    .argument('<id>', 'the operation id')
    .addOption(outputOption())
    .addOption(jsonOption())
    .addOption(timeoutOption())
    .action(onOperation('get'));

  program
    .command('wait')
    .description('poll until the operation is done, showing progress on stderr; print the result')
    .argument('<id>', 'the operation id')
    .option('--poll-interval <seconds>', 'fixed time between polls (default: from 0.1 s, growing to 10 s)', parseSeconds)
    .option('--poll-timeout <seconds>', 'give up after this long, with exit code 3 (default: 3600)', parseSeconds)
    .addOption(timeoutOption())
    .addOption(outputOption())
    .addOption(jsonOption())
    .action(onOperation('wait'));

  program
    .command('cancel')
    .description('ask the server to cancel an operation; print its status after')
    .argument('<id>', 'the operation id')
    .addOption(outputOption())
    .addOption(jsonOption())
    .addOption(timeoutOption())
    .action(onOperation('cancel'));

  program
    .command('emulator')
    .description('run an emulator of the Operation API on 127.0.0.1, with sample operations, until Ctrl-C')
    .option('--port <n>', 'the port to listen on (0: any free port)', parsePort, 0)
    .action(async (options: { port: number }, self: Command) => (await import('./emulator')).runEmulator(options.port, self.optsWithGlobals<GlobalOptions>(), io));

  return program;
}
