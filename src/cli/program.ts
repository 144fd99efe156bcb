/**
 * The command line, declared with commander: the commands, each with the flags it uses (its
 * `--help` shows only those), and the help text (credentials, exit codes, examples). Each
 * command's action reports its exit code through `finish`; errors propagate to the caller of
 * `parseAsync`.
 *
 * The flags of `get`, `wait` and `cancel` may also come before the command
 * (`yc-operation --endpoint URL get ID`), as they did when they were global: the program takes
 * them there too, hidden from its help, and a command's value wins over the program's
 * (`optionsOf`).
 */
import { Command, Option } from 'commander';
import { version } from '../../package.json';
import { parsePort, parseSeconds } from './arguments';
import type { CallCommandOptions, WaitCommandOptions } from './commands';
import { completionScript, SHELLS, type Shell } from './completion';
import { EXIT_CODES_HELP, type ExitCode, UsageError } from './exit-codes';
import type { Io } from './io';
import { OUTPUT_FORMATS } from './output-formats';
import type { SessionOptions } from './session';

/**
 * The SDK's short endpoint names (its `SHORT_ENDPOINTS`), written here so that `--help` and
 * `--version` load none of the SDK; test/cli.test.ts checks that the two lists agree.
 */
export const ENDPOINT_NAMES = ['operation', 'llm', 'searchapi', 'rest-assistant'] as const;

/** The flags whose values are secrets. */
export const SECRET_FLAGS = ['--api-key', '--iam-token'] as const;

const HELP_AFTER = `
Run 'yc-operation <command> --help' for the flags of a command. The flags of get, wait and
cancel may also come before the command: yc-operation --endpoint URL --no-auth get ID.

Credentials: --api-key or --iam-token, else the environment, as the SDK finds it: YC_API_KEY,
YC_IAM_TOKEN, YC_OAUTH_TOKEN, the VM metadata service, YC_TOKEN, the yc CLI. With none of them
there, the command says so before any request. Prefer the variables: a flag's value shows in
the process list. No output ever shows a credential.

Environment: YC_OPERATION_ENDPOINT (the default of --endpoint), YC_OPERATION_LOG=debug|info|
warn|error (the SDK's log on stderr from that level up; --debug is YC_OPERATION_LOG=debug).
${EXIT_CODES_HELP}

Examples:
  yc-operation emulator --port 8080
  yc-operation wait <id> --endpoint http://127.0.0.1:8080 --no-auth
  YC_API_KEY=... yc-operation wait <id> --endpoint llm --poll-timeout 600
  yc-operation get <id> -o yaml
  yc-operation wait <id> --quiet && echo done
  source <(yc-operation completion bash)`;

/** The flags of `get`, `wait` and `cancel` that say how to reach the API, and what to log. */
function sessionOptions(): Option[] {
  return [
    new Option('--endpoint <url>', `the API's base URL, or a short name: ${ENDPOINT_NAMES.join(', ')}`)
      .env('YC_OPERATION_ENDPOINT')
      .default('operation'),
    new Option(
      '--allow-insecure-http',
      'accept a plain http:// endpoint on a host other than this machine (credentials travel unencrypted)',
    ),
    new Option('--api-key <key>', 'authenticate with an API key').conflicts('iamToken'),
    new Option('--iam-token <token>', 'authenticate with an IAM token'),
    new Option('--no-auth', 'send no credentials (an emulator); skips the environment').conflicts(['apiKey', 'iamToken']),
    new Option('--folder-id <id>', 'folder id sent as x-folder-id (default: YC_FOLDER_ID)'),
    new Option('--protocol <protocol>', 'how the Operation API is called').choices(['rest', 'grpc']).default('rest'),
    new Option('--verbose', 'log requests and polls on stderr (without credentials)'),
    new Option('--debug', "log the SDK's debug lines on stderr, as YC_OPERATION_LOG=debug, and the request ids of an error"),
    new Option('--quiet', 'print nothing but errors: no progress, no status; the exit code tells the outcome'),
  ];
}

/** The flags of a command on one operation: how to print it, and one request's bound. */
function callOptions(): Option[] {
  return [
    new Option('-o, --output <format>', "print the status for people (text), or in the Operation message's REST form as json or yaml")
      .choices(OUTPUT_FORMATS)
      .default('text'),
    new Option('--json', 'the same as --output json').conflicts('output'),
    new Option('--timeout <seconds>', 'bound of one request, its retries included (default: 60)').argParser(parseSeconds),
  ];
}

/** How sure a value is, by where it came from: the command line, then the environment, then a default. */
const RANK: Record<string, number> = { cli: 3, env: 2 };

/**
 * A command's options with those given before it (to the program): for each, the value of the
 * surer source, the command's on a tie. Credentials of two kinds, one on each side, are refused
 * as commander refuses them on one side.
 */
export function optionsOf<T>(command: Command): T {
  const program = command.parent!;
  const merged: Record<string, unknown> = { ...command.opts() };
  const given = new Set<string>();
  for (const source of [command, program]) {
    for (const [key, value] of Object.entries(source.opts())) {
      const rank = RANK[source.getOptionValueSource(key) ?? ''] ?? 1;
      if (rank === 3) given.add(key);
      if (source === program && rank > (RANK[command.getOptionValueSource(key) ?? ''] ?? 1)) merged[key] = value;
    }
  }
  const credentials = ['apiKey', 'iamToken', 'auth'].filter((key) => given.has(key));
  if (credentials.length > 1)
    throw new UsageError(`option '${flagOf(credentials[0]!)}' cannot be used with option '${flagOf(credentials[1]!)}'`);
  return merged as T;
}

function flagOf(key: string): string {
  return key === 'auth' ? '--no-auth' : `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** The program; `finish` receives the exit code of the command that ran. */
export function buildProgram(io: Io, finish: (code: ExitCode) => void): Command {
  const program = new Command('yc-operation')
    .description('Wait on Yandex Cloud long-running operations: get, wait on and cancel them by id.')
    .version(version)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(io.redact(text)),
      // One line: commander's message (its "Did you mean" suggestion joined on) and where to read more.
      outputError: (text, write) =>
        write(
          `yc-operation: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')} (see yc-operation --help)\n`,
        ),
    })
    .exitOverride()
    .enablePositionalOptions()
    .addHelpText('after', HELP_AFTER);
  for (const option of sessionOptions()) program.addOption(option.hideHelp());

  /**
   * The action of a command on one operation: a promise client for the length of the command.
   * The commands and the SDK load when one runs, so that `--help` and `--version` load neither.
   */
  const onOperation = (name: 'get' | 'wait' | 'cancel') => async (id: string, _options: unknown, self: Command) => {
    const options = optionsOf<SessionOptions & CallCommandOptions & WaitCommandOptions>(self);
    const [commands, { withSession }] = await Promise.all([import('./commands'), import('./session')]);
    finish(await withSession(options, io, (session) => commands[name](id, options, session)));
  };

  const operationCommand = (name: 'get' | 'wait' | 'cancel', description: string, own: Option[] = []) => {
    const command = program.command(name).description(description).argument('<id>', 'the operation id');
    for (const option of [...own, ...callOptions(), ...sessionOptions()]) command.addOption(option);
    return command.action(onOperation(name));
  };

  operationCommand('get', "print an operation's status (exit 1 when it failed)");
  operationCommand('wait', 'poll until the operation is done, showing progress on stderr; print the result', [
    new Option('--poll-interval <seconds>', 'fixed time between polls (default: from 0.1 s, growing to 10 s)').argParser(parseSeconds),
    new Option('--poll-timeout <seconds>', 'give up after this long, with exit code 3 (default: 3600)').argParser(parseSeconds),
  ]);
  operationCommand('cancel', 'ask the server to cancel an operation; print its status after');

  program
    .command('emulator')
    .description('run an emulator of the Operation API on 127.0.0.1, with sample operations, until Ctrl-C')
    .option('--port <n>', 'the port to listen on (0: any free port)', parsePort, 0)
    .addOption(new Option('--api-key <key>', 'require this API key on every request').conflicts('iamToken'))
    .option('--iam-token <token>', 'require this IAM token on every request')
    .action(async (_options: unknown, self: Command) => {
      const options = optionsOf<{ port: number; apiKey?: string; iamToken?: string }>(self);
      await (await import('./emulator')).runEmulator(options.port, options, io);
    });

  program
    .command('completion')
    .description('print a completion script for a shell: source <(yc-operation completion bash)')
    .addArgument(program.createArgument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .action((shell: Shell) => {
      io.stdout.write(completionScript(shell, program));
    });

  return program;
}
