/**
 * `emulator`: the test kit's emulator of the Operation API in the foreground, with a few sample
 * operations to try the other commands on. It runs until Ctrl-C. With --api-key or --iam-token
 * it requires those credentials, so that the credential flags can be tried too.
 */
import { GrpcCode, type OperationScript, startEmulator } from 'yc-operation/testing';
import { UsageError } from './exit-codes';
import type { Io } from './io';

/** The sample operations: what each does, and its script. */
const SAMPLES: readonly { what: string; script: OperationScript }[] = [
  {
    what: 'succeeds 60 s from now, with progress metadata',
    script: {
      description: 'Sample: a job with progress',
      doneAfter: 60,
      metadata: [0, 10, 25, 40, 55, 70, 85, 100].map((percent) => ({
        '@type': 'type.googleapis.com/yc_operation.sample.Progress',
        stage: percent === 0 ? 'queued' : percent === 100 ? 'done' : 'working',
        percent,
      })),
      response: { '@type': 'type.googleapis.com/yc_operation.sample.Result', text: 'Hello from the emulator' },
    },
  },
  {
    what: 'fails 20 s from now (FAILED_PRECONDITION)',
    script: {
      description: 'Sample: a job that fails',
      doneAfter: 20,
      error: { code: GrpcCode.FAILED_PRECONDITION, message: 'The sample dataset is empty' },
    },
  },
  { what: 'never finishes by itself: cancel it', script: { description: 'Sample: a job to cancel', never: true } },
];

const COMPLETION_BODY = JSON.stringify({ modelUri: 'gpt://<folder>/yandexgpt-lite', messages: [{ role: 'user', text: 'Hello' }] });

/** Why the emulator could not listen, for people, when the port is the reason. */
function listenError(port: number, error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === 'EADDRINUSE')
    return new UsageError(`port ${port} is in use: pick another with --port, or --port 0 for any free port`, { cause: error });
  if (code === 'EACCES')
    return new UsageError(`not allowed to listen on port ${port}: pick a port above 1023 with --port`, { cause: error });
  return error;
}

/** The credentials the emulator requires (its --api-key or --iam-token), if any. */
export interface EmulatorCredentials {
  apiKey?: string;
  iamToken?: string;
}

/** How to authenticate to the emulator, for the hints it prints (never the secret itself). */
function credentialHints(options: EmulatorCredentials): { required: string; flag: string; header: string } {
  if (options.apiKey !== undefined) {
    return { required: 'the API key given with --api-key', flag: '--api-key <the key>', header: " -H 'Authorization: Api-Key <the key>'" };
  }
  if (options.iamToken !== undefined) {
    return {
      required: 'the IAM token given with --iam-token',
      flag: '--iam-token <the token>',
      header: " -H 'Authorization: Bearer <the token>'",
    };
  }
  return { required: 'none', flag: '--no-auth', header: '' };
}

/** Starts the emulator on 127.0.0.1 and prints how to use it; the process then runs until Ctrl-C. */
export async function runEmulator(port: number, options: EmulatorCredentials, io: Io): Promise<void> {
  const emulator = await startEmulator({ port, apiKey: options.apiKey, iamToken: options.iamToken }).catch((error: unknown) => {
    throw listenError(port, error);
  });
  const ids: string[] = [];
  for (const sample of SAMPLES) ids.push(await emulator.create(sample.script));
  const hints = credentialHints(options);
  const flags = `--endpoint ${emulator.url} ${hints.flag}`;
  io.out(
    [
      `Operation API emulator listening on ${emulator.url}`,
      `Credentials required: ${hints.required}`,
      '',
      'Sample operations:',
      ...SAMPLES.map((sample, i) => `  ${ids[i]}  ${sample.what}`),
      '',
      'Try:',
      `  yc-operation get ${ids[0]} ${flags}`,
      `  yc-operation wait ${ids[0]} ${flags}`,
      `  yc-operation cancel ${ids[2]} ${flags}`,
      '',
      'Start a deferred completion (done after 1 s, or after the seconds in an x-emulator-done-after header):',
      `  curl -s -X POST ${emulator.url}/foundationModels/v1/completionAsync${hints.header} -d '${COMPLETION_BODY}'`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}
