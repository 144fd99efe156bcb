/**
 * Credentials never show: not in an error's message, stack, `String()`, `util.inspect` or
 * `JSON.stringify`, not in a client's or an operation's text forms, not in a log line at any
 * level, not in the CLI's output; and a redirect never carries them to another host. Every
 * captured text is searched for every secret in play.
 *
 * (test/auth.test.ts covers the providers themselves; this file covers what users see of them
 * through the clients, in both flavours, under faults.)
 */
import { format, inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, type Logger } from 'yc-operation';
import { type Emulator, type OperationScript, startEmulator } from 'yc-operation/testing';
import { runNode } from '../helpers/child';
import { FLAVOURS, type FlavourClient, type FlavourOperation } from '../helpers/flavours';
import { DIST_CLI, failOnUnhandledRejections, HTML_PAGE, QUICK_RETRY, type StandIns, startStandIns } from './harness';

const API_KEY = 'AQVNsecret-api-key-0123456789';
const IAM_TOKEN = 't1.secret-iam-token-0123456789';
const WRONG_KEY = 'AQVNwrong-api-key-9876543210';
const OAUTH_TOKEN = 'y0_secret-oauth-token-0123456789';
const EXCHANGED_IAM_TOKEN = 't1.secret-exchanged-token-0123456789';
const ALL_SECRETS = [API_KEY, IAM_TOKEN, WRONG_KEY, OAUTH_TOKEN, EXCHANGED_IAM_TOKEN];

let emu: Emulator;
/** An emulator that accepts only the IAM token the OAuth token is exchanged for. */
let oauthEmu: Emulator;
/** A stand-in of the IAM API's token exchange (it echoes a rejected token, as some servers do), and a redirector. */
let standIns: StandIns;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: API_KEY, iamToken: IAM_TOKEN });
  oauthEmu = await startEmulator({ iamToken: EXCHANGED_IAM_TOKEN });
  standIns = await startStandIns({
    iam: {
      host: '127.0.0.1',
      reply: `(req, urls, body) => {
        const sent = JSON.parse(body || '{}').yandexPassportOauthToken;
        return sent === ${JSON.stringify(OAUTH_TOKEN)}
          ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ iamToken: ${JSON.stringify(EXCHANGED_IAM_TOKEN)}, expiresAt: new Date(Date.now() + 3600000).toISOString() }) }
          : { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 16, message: 'OAuth token ' + sent + ' is invalid', details: [] }) };
      }`,
    },
    // Another host: 127.0.0.2 is a different address from the endpoint's 127.0.0.1.
    catcher: {
      host: '127.0.0.2',
      reply:
        '() => ({ status: 200, headers: { "content-type": "application/json" }, body: \'{"id":"caught","done":true,"response":{},"iamToken":"t1.caught"}\' })',
    },
    // Echoes the credentials sent into every header an error reads, and into the body.
    echo: {
      host: '127.0.0.1',
      reply: `(req) => {
        const sent = String(req.headers.authorization);
        const status = req.url.includes('non-json') ? 200 : 503;
        return {
          status,
          headers: { 'content-type': 'text/html; charset=' + sent, 'x-request-id': sent, 'x-server-trace-id': 'trace ' + sent, 'retry-after': '0' },
          body: status === 200 ? 'not JSON: ' + sent : '<html>' + sent + '</html>',
        };
      }`,
    },
    // Redirects to the catcher, with the status named in the path (302 when none is).
    redirector: {
      host: '127.0.0.1',
      reply: `(req, urls) => ({ status: Number((req.url.match(/30[1-8]/) || ['302'])[0]), headers: { location: urls.catcher + req.url } })`,
    },
  });
});
afterAll(async () => {
  await Promise.all([emu.close(), oauthEmu.close(), standIns.close()]);
});
failOnUnhandledRejections();

// ---- capturing every text form ------------------------------------------------------------------

/** Every text a user could get out of `value`: String, util.inspect (plain and exhaustive), JSON. */
function textForms(value: unknown): string[] {
  const forms = [String(value), inspect(value), inspect(value, { showHidden: true, depth: Infinity, getters: true }), safeJson(value)];
  if (value instanceof Error) {
    forms.push(value.message, value.stack ?? '', safeJson({ ...value }));
    if (value.cause !== undefined) forms.push(...textForms(value.cause));
  }
  return forms;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `unserializable: ${(error as Error).message}`;
  }
}

/** A logger that keeps every line at every level, its arguments formatted as a console would. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      lines.push(`${level} ${format(message, ...rest)}`);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** Fails naming the form and the secret when any text of `texts` shows any of `secrets`. */
function expectNoSecrets(texts: readonly string[], secrets: readonly string[] = ALL_SECRETS): void {
  for (const text of texts) {
    for (const secret of secrets) {
      if (!text.includes(secret)) continue;
      const at = text.indexOf(secret);
      expect.fail(`a secret shows in: ${text.slice(Math.max(0, at - 300), at + 100).replaceAll(secret, '<THE SECRET>')}`);
    }
  }
}

// ---- the scenarios: every kind of outcome, through the clients ------------------------------------

/** The operations each scenario run waits on, with what happens to them. */
const SCENARIOS: Array<[string, OperationScript, Record<string, unknown>]> = [
  ['a success after some polls', { donePolls: 2, metadata: [{ progress: 50 }, { progress: 100 }] }, {}],
  ['a failed operation (RunError)', { error: { code: 3, message: 'bad prompt' } }, {}],
  ['done with neither result nor error', { neither: true }, {}],
  ['a poll timeout (OperationTimeoutError)', { never: true }, { pollTimeout: 0.2 }],
  ['503 on every attempt', { faults: [{ status: 503, times: Infinity }] }, {}],
  [
    'an HTML 502 on every attempt',
    { faults: [{ status: 502, body: HTML_PAGE(502, 'Bad Gateway'), contentType: 'text/html', times: Infinity }] },
    {},
  ],
  ['a connection reset on every attempt (a network error)', { faults: [{ reset: 'before-response', times: Infinity }] }, {}],
  ['a reset mid-response on every attempt', { faults: [{ reset: 'mid-response', times: Infinity }] }, {}],
  ['no answer within timeout', { faults: [{ hang: true }] }, { timeout: 0.3 }],
  ['malformed JSON', { faults: [{ malformed: true }] }, {}],
  ['a JSON body of the wrong shape', { faults: [{ status: 200, body: '{"done":"yes"}', contentType: 'application/json' }] }, {}],
  ['404', { faults: [{ status: 404 }] }, {}],
];

/** Waits on one operation per scenario of `server` with `client`; returns every text form of what came out. */
async function runScenarios(client: FlavourClient, server: Emulator): Promise<string[]> {
  const texts: string[] = [...textForms(client)];
  for (const [name, script, options] of SCENARIOS) {
    const op: FlavourOperation = client.operation(await server.create(script));
    texts.push(...textForms(op));
    try {
      texts.push(...textForms(await op.wait({ pollInterval: 0.01, ...options })));
    } catch (error) {
      texts.push(`${name}:`, ...textForms(error));
    }
    texts.push(...textForms(op.lastKnownStatus), ...textForms(op));
  }
  return texts;
}

describe.each(FLAVOURS)('$name flavour', (flavour) => {
  test.each([
    // (A bare string is classified into the same providers: test/credentials.test.ts.)
    ['an API key given as { apiKey }', { apiKey: API_KEY }],
    ['an IAM token given as a bare string', IAM_TOKEN],
  ] as Array<[string, unknown]>)(
    '%s never shows in errors, text forms of the client and operations, or log lines at any level',
    async (_what, auth) => {
      const { logger, lines } = recordingLogger();
      const client = flavour.client({ endpoint: emu.url, auth, retry: { ...QUICK_RETRY, maxAttempts: 2 }, logger });
      const texts = await runScenarios(client, emu);
      client.close();
      // Every level was logged: the wait's own lines, and (async flavour, where the requests are
      // sent on this thread) the transport's debug lines for each request and retry.
      for (const level of ['debug', 'info', 'warn'])
        expect(
          lines.some((line) => line.startsWith(`${level} `)),
          level,
        ).toBe(true);
      if (flavour.name === 'async') expect(lines.some((line) => line.startsWith('debug GET'))).toBe(true);
      expectNoSecrets([...texts, ...lines]);
    },
  );

  test('a wrong API key fails with ApiError 16 naming the auth kind; neither key shows anywhere', async () => {
    const { logger, lines } = recordingLogger();
    const client = flavour.client({ endpoint: emu.url, auth: { apiKey: WRONG_KEY }, retry: false, logger });
    const op = client.operation(await emu.create({}));
    const error = await op.wait({ pollInterval: 0.01 }).catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: 401, authProvider: 'api-key' });
    expectNoSecrets([...textForms(error), ...textForms(client), ...textForms(op), ...lines]);
  });
});

describe.each(FLAVOURS)('$name flavour: an OAuth token (exchanged at a stand-in of the IAM API)', (flavour) => {
  test('neither the OAuth token nor the IAM token it is exchanged for shows anywhere', async () => {
    const { logger, lines } = recordingLogger();
    const client = flavour.client({
      endpoint: oauthEmu.url,
      auth: { oauthToken: OAUTH_TOKEN },
      iamEndpoint: standIns.urls.iam,
      retry: { ...QUICK_RETRY, maxAttempts: 2 },
      logger,
    });
    const texts = await runScenarios(client, oauthEmu);
    client.close();
    expect(texts.join('\n')).toContain('OperationStatus<success>'); // the exchanged token was accepted
    expectNoSecrets([...texts, ...lines]);
  });

  test('a failed exchange whose answer echoes the OAuth token fails with ApiError 16 that shows it nowhere', async () => {
    const rejected = 'y0_secret-rejected-token-000000';
    const client = flavour.client({ endpoint: oauthEmu.url, auth: { oauthToken: rejected }, iamEndpoint: standIns.urls.iam, retry: false });
    const error = await client
      .operation(await oauthEmu.create({}))
      .wait({ pollInterval: 0.01 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: 401, authProvider: 'oauth' });
    expect((error as Error).message).toContain(
      'Exchanging the OAuth token for an IAM token failed with HTTP 401: OAuth token <redacted> is invalid',
    );
    expectNoSecrets(textForms(error), [rejected]);
  });
});

describe.each(FLAVOURS)('$name flavour: a server that echoes the credentials in its headers and bodies', (flavour) => {
  test('an error answer echoing them in content-type, x-request-id and x-server-trace-id, retried: they show nowhere', async () => {
    const { logger, lines } = recordingLogger();
    const client = flavour.client({
      endpoint: standIns.urls.echo,
      auth: { apiKey: API_KEY },
      retry: { ...QUICK_RETRY, maxAttempts: 2 },
      logger,
    });
    const error = await client
      .operation('echoing')
      .wait({ pollInterval: 0.01 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ httpStatus: 503, attempts: 2, requestId: '<redacted>', serverTraceId: 'trace <redacted>' });
    expect((error as Error).message).toContain('text/html; charset=<redacted>');
    expect(lines.some((line) => line.includes('retrying'))).toBe(true);
    expectNoSecrets([...textForms(error), ...lines]);
  });

  test('a 200 answer that is not JSON: an ApiError with no JSON.parse cause, the secret nowhere', async () => {
    const client = flavour.client({ endpoint: standIns.urls.echo, auth: { apiKey: API_KEY }, retry: false });
    const error = await client
      .operation('non-json')
      .getStatus()
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ httpStatus: 200, grpcCode: 2, requestId: '<redacted>' });
    expect((error as Error).message).toMatch(/^the response body is not JSON: not JSON: \(HTTP 200/); // the secret cut out
    expect((error as Error).cause).toBeUndefined();
    expectNoSecrets(textForms(error));
  });
});

describe.each(FLAVOURS)('$name flavour: redirects are not followed, so credentials never reach another host', (flavour) => {
  test.each([[301], [302], [303], [307], [308]])(
    'HTTP %i to another host fails with ApiError, and the other host gets nothing',
    async (status) => {
      const client = flavour.client({ endpoint: standIns.urls.redirector, auth: { apiKey: API_KEY }, retry: QUICK_RETRY });
      const error = await client
        .operation(`op${status}`)
        .wait({ pollInterval: 0.01 })
        .catch((e: unknown) => e);
      client.close();
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ grpcCode: 2, httpStatus: status, attempts: 1 });
      expect((await standIns.seen()).filter((r) => r.server === 'catcher')).toEqual([]);
      expectNoSecrets(textForms(error));
    },
  );

  test('the OAuth token exchange does not follow a 307 either (it would post the token again, to the other host)', async () => {
    const client = flavour.client({
      endpoint: oauthEmu.url,
      auth: { oauthToken: OAUTH_TOKEN },
      iamEndpoint: `${standIns.urls.redirector}/307`,
      retry: false,
    });
    const error = await client
      .operation(await oauthEmu.create({}))
      .wait({ pollInterval: 0.01 })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: 307, authProvider: 'oauth' });
    expect((await standIns.seen()).filter((r) => r.server === 'catcher')).toEqual([]);
    expectNoSecrets(textForms(error));
  });
});

describe('the CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => runNode([DIST_CLI, '--endpoint', emu.url, ...args], env);

  test.each([
    ['--iam-token=<token>', [`--iam-token=${IAM_TOKEN}`], {}, [0, 1, 4, 4]],
    ["YC_API_KEY (the SDK's environment chain)", [], { YC_API_KEY: API_KEY }, [0, 1, 4, 4]],
    ['a wrong --api-key', ['--api-key', WRONG_KEY], {}, [4, 4, 4, 4]],
  ])(
    'with %s, no output of get, wait or cancel shows a credential, in any outcome, even with --verbose',
    async (_what, auth, env, codes) => {
      const ids = await Promise.all([
        emu.create({ donePolls: 2 }),
        emu.create({ error: { code: 9, message: 'nope' } }),
        emu.create({ faults: [{ reset: 'before-response', times: Infinity }] }),
        emu.create({ faults: [{ status: 503, times: Infinity }] }),
      ]);
      const [ok, failed, reset, overloaded] = ids;
      // The success and the failure with the default timeouts; the network error and the overload
      // bounded (exit 4 either way: retries exhausted or the timeout reached).
      const bounded = ['--poll-interval', '0.01', '--poll-timeout', '2', '--timeout', '1'];
      const runs = await Promise.all([
        cli([...auth, '--verbose', 'wait', ok!, '--poll-interval', '0.01', '--json'], env),
        cli([...auth, '--verbose', 'get', failed!], env),
        cli([...auth, '--verbose', 'wait', reset!, ...bounded], env),
        cli([...auth, '--verbose', 'cancel', overloaded!, '--timeout', '0.5'], env),
      ]);
      // Each run ended as its operation says, and its output is about that operation (the
      // --verbose log names it): the scan below reads real outputs.
      expect(runs.map((run) => run.code)).toEqual(codes);
      runs.forEach((run, i) => {
        expect(run.stdout + run.stderr, `run ${i}`).toContain(ids[i]);
      });
      // A wrong key is refused at the first request (the bounded runs may reach their bound first on a loaded machine).
      if (codes[0] === 4) for (const run of runs.slice(0, 2)) expect(run.stderr).toContain('HTTP 401');
      const outputs = runs.flatMap((run) => [run.stdout, run.stderr]);
      expectNoSecrets(outputs);
    },
    30_000,
  );
});
