/**
 * Credentials (src/transport/auth), against real loopback stand-ins: node:http servers on
 * 127.0.0.1 for the IAM token endpoint and the metadata service, and a fake `yc` shell script.
 * No request leaves the machine: every provider is pointed at a stand-in or a closed local port.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/core/errors';
import type { AuthProvider } from '../src/core/transport';
import {
  type AuthEnvironment,
  classifySecret,
  EnvTokenAuth,
  MetadataServiceAuth,
  OAuthAuth,
  resolveAuth,
  YcCliAuth,
} from '../src/transport/auth/index';
import { refreshAtMs } from '../src/transport/auth/token-cache';

// ---- stand-ins --------------------------------------------------------------------------------

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface StandIn {
  /** `127.0.0.1:<port>`, the form of `YC_METADATA_ADDR`. */
  addr: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request received, in order. */
  seen: Seen[];
}

const servers: Server[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** An HTTP server on a free loopback port, answering with `respond`; closed after the test. */
async function standIn(respond: (seen: Seen, res: ServerResponse) => unknown): Promise<StandIn> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      void respond(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { addr: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A loopback address nobody listens on: connections to it are refused at once. */
async function closedAddr(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

/** The IAM token endpoint: answers every exchange with `iamToken`, valid for `lifetimeMs` of `clock()`. */
function iamStandIn(iamToken: string, options: { clock?: () => number; lifetimeMs?: number } = {}): Promise<StandIn> {
  const { clock = Date.now, lifetimeMs = 12 * 3600_000 } = options;
  return standIn((_, res) => json(res, 200, { iamToken, expiresAt: new Date(clock() + lifetimeMs).toISOString() }));
}

/** The metadata service: answers requests carrying `Metadata-Flavor: Google` with `token`. */
function metadataStandIn(token: string, expiresInS = 43_000): Promise<StandIn> {
  return standIn((seen, res) =>
    seen.headers['metadata-flavor'] === 'Google'
      ? json(res, 200, { access_token: token, expires_in: expiresInS, token_type: 'Bearer' })
      : json(res, 403, { message: 'missing Metadata-Flavor' }),
  );
}

/** A promise with its resolver, to hold a stand-in's answer until the test releases it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

interface FakeYc {
  dir: string;
  path: string;
  /** The argument lists it was run with, one per run. */
  calls(): Promise<string[]>;
}

/** A `yc` shell script in a temp dir that logs its arguments and then runs `body`. */
async function fakeYc(body: string): Promise<FakeYc> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-yc-'));
  tempDirs.push(dir);
  const path = join(dir, 'yc');
  const log = join(dir, 'calls.log');
  await writeFile(path, `#!/bin/sh\necho "$*" >> '${log}'\n${body}\n`, { mode: 0o755 });
  const calls = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { dir, path, calls };
}

/** A path where no `yc` exists. */
const NO_YC = '/nonexistent/yc';

/**
 * An environment for the chain that reaches nothing by default: the metadata service on a closed
 * loopback port, no `yc`, the IAM endpoint on loopback. Tests override what they need.
 */
async function chainEnvironment(vars: Record<string, string>, overrides: AuthEnvironment = {}): Promise<AuthEnvironment> {
  return { env: { ...vars }, metadataAddr: await closedAddr(), ycPath: NO_YC, iamEndpoint: `http://${await closedAddr()}`, ...overrides };
}

async function authorizationOf(provider: AuthProvider, signal?: AbortSignal): Promise<string | undefined> {
  return (await provider.getHeaders(signal)).Authorization;
}

/** The rejection of `promise` (fails the test when it fulfils). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

/** None of the four text forms of `value` shows any of `secrets`. */
function expectNoSecretIn(value: unknown, secrets: readonly string[]): void {
  const forms = [
    String(value),
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    JSON.stringify(value) ?? '',
    value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : '',
  ];
  for (const form of forms) for (const secret of secrets) expect(form).not.toContain(secret);
}

// ---- classification and options ---------------------------------------------------------------

describe('classifying a bare credential string', () => {
  it.each([
    ['t1.9euelZqSmJKTlI2Zk8', 'iam-token'],
    ['t2.anything', 'iam-token'],
    ['y0_AgAAAAAAxxxx', 'oauth'],
    ['y3_AgAAAAAAxxxx', 'oauth'],
    ['y4_AgAAAAAAxxxx', 'api-key'],
    ['AQVNwxxxxxxxxxxxxxxxx', 'api-key'],
    ['tx.not-an-iam-token', 'api-key'],
    ['T1.upper-case-is-not-iam', 'api-key'],
    ['xt1.prefix-only-counts-at-the-start', 'api-key'],
  ])('%s is classified as %s', (secret, kind) => {
    expect(classifySecret(secret)).toBe(kind);
  });

  it('a bare string becomes the provider of its kind, trimmed', async () => {
    expect(await authorizationOf(resolveAuth('  AQVN-key\n'))).toBe('Api-Key AQVN-key');
    expect(await authorizationOf(resolveAuth('t1.iam-token'))).toBe('Bearer t1.iam-token');
    expect(resolveAuth('y0_oauth', { iamEndpoint: 'http://127.0.0.1:9' }).name).toBe('oauth');
  });
});

describe('the auth option', () => {
  it('the object forms give an API key, an IAM token and an OAuth token provider', async () => {
    const apiKey = resolveAuth({ apiKey: 'AQVN-key' });
    const iamToken = resolveAuth({ iamToken: 't1.token' });
    expect([apiKey.name, iamToken.name]).toEqual(['api-key', 'iam-token']);
    expect(await apiKey.getHeaders()).toEqual({ Authorization: 'Api-Key AQVN-key' });
    expect(await iamToken.getHeaders()).toEqual({ Authorization: 'Bearer t1.token' });
    expect(resolveAuth({ oauthToken: 'y0_token' }, { iamEndpoint: 'http://127.0.0.1:9' }).name).toBe('oauth');
  });

  it('an object form wins over the shape of its value', async () => {
    expect(await authorizationOf(resolveAuth({ apiKey: 't1.looks-like-iam' }))).toBe('Api-Key t1.looks-like-iam');
  });

  it('null means no credentials: no headers and the name none', async () => {
    const provider = resolveAuth(null);
    expect(provider.name).toBe('none');
    expect(await provider.getHeaders()).toEqual({});
  });

  it('an AuthProvider is used as is, and one without a name is named custom', async () => {
    const provider = { name: 'mine', getHeaders: async () => ({ Authorization: 'Bearer mine' }) };
    expect(resolveAuth(provider)).toBe(provider);
    const unnamed = resolveAuth({ getHeaders: async () => ({ 'x-extra': '1' }) } as unknown as AuthProvider);
    expect(unnamed.name).toBe('custom');
    expect(await unnamed.getHeaders()).toEqual({ 'x-extra': '1' });
  });

  it.each([
    ['', 'auth must be a non-empty string'],
    ['  \n', 'auth must be a non-empty string'],
    [{ apiKey: '' }, 'auth.apiKey must be a non-empty string'],
    [{ iamToken: '   ' }, 'auth.iamToken must be a non-empty string'],
    [{ oauthToken: 42 }, 'auth.oauthToken must be a non-empty string'],
    [{ apiKey: 'AQVN-secret-1', iamToken: 't1.secret-2' }, 'auth must be a string, { apiKey }'],
    [{ token: 'AQVN-secret-3' }, 'auth must be a string, { apiKey }'],
    [42, 'auth must be a string, { apiKey }'],
  ])('%j is rejected with a TypeError naming the option, never the secret', (auth, message) => {
    const error = (() => {
      try {
        resolveAuth(auth as never);
      } catch (caught) {
        return caught;
      }
      return expect.unreachable('expected a TypeError');
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain(message);
    expectNoSecretIn(error, ['AQVN-secret-1', 't1.secret-2', 'AQVN-secret-3']);
  });
});

// ---- token lifetimes -------------------------------------------------------------------------

describe('when a cached token is replaced', () => {
  const MIN = 60_000;
  it.each([
    ['a 12-hour token: after an hour', 12 * 60 * MIN, 60 * MIN],
    ['a 2-hour token: after an hour', 120 * MIN, 60 * MIN],
    ['a 1-hour token: 5 minutes before it expires', 60 * MIN, 55 * MIN],
    ['a 10-minute token: a tenth of its lifetime before it expires', 10 * MIN, 9 * MIN],
    ['a token of unknown lifetime: after an hour', null, 60 * MIN],
  ])('%s', (_, lifetimeMs, replaceAfterMs) => {
    const obtainedAtMs = 1_700_000_000_000;
    const expiresAtMs = lifetimeMs === null ? null : obtainedAtMs + lifetimeMs;
    expect(refreshAtMs(obtainedAtMs, expiresAtMs) - obtainedAtMs).toBe(replaceAfterMs);
  });
});

// ---- the OAuth exchange -----------------------------------------------------------------------

describe('an OAuth token', () => {
  it('is exchanged once for an IAM token, which is sent as a Bearer header', async () => {
    const iam = await iamStandIn('t1.from-oauth');
    const provider = resolveAuth('y0_oauth-secret', { iamEndpoint: iam.url });
    expect(await provider.getHeaders()).toEqual({ Authorization: 'Bearer t1.from-oauth' });
    expect(await authorizationOf(provider)).toBe('Bearer t1.from-oauth');
    expect(iam.seen).toHaveLength(1);
    expect(iam.seen[0]).toMatchObject({ method: 'POST', url: '/iam/v1/tokens' });
    expect(iam.seen[0]!.headers['content-type']).toContain('application/json');
    expect(JSON.parse(iam.seen[0]!.body)).toEqual({ yandexPassportOauthToken: 'y0_oauth-secret' });
  });

  it('concurrent callers share one exchange request', async () => {
    const iam = await iamStandIn('t1.shared');
    const provider = resolveAuth({ oauthToken: 'y0_x' }, { iamEndpoint: `${iam.url}/` });
    const headers = await Promise.all(Array.from({ length: 5 }, () => authorizationOf(provider)));
    expect(headers).toEqual(Array(5).fill('Bearer t1.shared'));
    expect(iam.seen).toHaveLength(1);
  });

  it('the IAM token is replaced after an hour even when it lives longer', async () => {
    let clock = Date.parse('2024-05-12T18:00:00Z');
    const iam = await iamStandIn('t1.twelve-hours', { clock: () => clock, lifetimeMs: 12 * 3600_000 });
    const provider = new OAuthAuth('y0_x', { iamEndpoint: iam.url, now: () => clock });
    await provider.getHeaders();
    clock += 59 * 60_000;
    await provider.getHeaders();
    expect(iam.seen).toHaveLength(1);
    clock += 2 * 60_000;
    await provider.getHeaders();
    expect(iam.seen).toHaveLength(2);
  });

  it('a short-lived IAM token is replaced once less than a tenth of its lifetime is left', async () => {
    let clock = Date.parse('2024-05-12T18:00:00Z');
    const iam = await iamStandIn('t1.ten-minutes', { clock: () => clock, lifetimeMs: 10 * 60_000 });
    const provider = resolveAuth('y0_x', { iamEndpoint: iam.url, now: () => clock });
    await provider.getHeaders();
    clock += 8 * 60_000 + 59_000; // 61 s left of 600: still fresh
    await provider.getHeaders();
    expect(iam.seen).toHaveLength(1);
    clock += 2_000; // 59 s left: refresh
    await provider.getHeaders();
    expect(iam.seen).toHaveLength(2);
  });

  it('a failed exchange rejects every waiting caller with an ApiError without the token, and the next call tries again', async () => {
    const secret = 'y0_secret-oauth-token';
    let fail = true;
    const iam = await standIn((_, res) =>
      fail
        ? json(
            res,
            401,
            {
              code: 16,
              message: `OAuth token ${secret} is invalid`,
              details: [{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: 'rq-1' }],
            },
            { 'x-request-id': 'rq-1', 'x-server-trace-id': 'trace-1' },
          )
        : json(res, 200, { iamToken: 't1.second-try', expiresAt: new Date(Date.now() + 3600_000).toISOString() }),
    );
    const provider = resolveAuth(secret, { iamEndpoint: iam.url });
    const errors = await Promise.all(Array.from({ length: 3 }, () => rejectionOf(provider.getHeaders())));
    expect(iam.seen).toHaveLength(1);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        grpcCode: 16,
        httpStatus: 401,
        endpoint: `${iam.url}/iam/v1/tokens`,
        requestId: 'rq-1',
        serverTraceId: 'trace-1',
        authProvider: 'oauth',
      });
      expect((error as ApiError).message).toContain('Exchanging the OAuth token for an IAM token failed with HTTP 401');
      expect((error as ApiError).message).toContain('OAuth token <redacted> is invalid');
      expectNoSecretIn(error, [secret]);
    }
    fail = false;
    expect(await authorizationOf(provider)).toBe('Bearer t1.second-try');
    expect(iam.seen).toHaveLength(2);
  });

  it('a status body that is not a google.rpc.Status is an authentication failure (gRPC 16) with the HTTP status', async () => {
    const iam = await standIn((_, res) => res.writeHead(503).end('<html>down</html>'));
    const error = await rejectionOf(resolveAuth('y0_x', { iamEndpoint: iam.url }).getHeaders());
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: 503, details: [] });
  });

  it('a redirect from the IAM endpoint is not followed', async () => {
    const elsewhere = await iamStandIn('t1.elsewhere');
    const iam = await standIn((_, res) => res.writeHead(302, { Location: `${elsewhere.url}/iam/v1/tokens` }).end());
    const error = await rejectionOf(resolveAuth('y0_x', { iamEndpoint: iam.url }).getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ httpStatus: 302 });
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('an answer without an iamToken is an ApiError', async () => {
    const iam = await standIn((_, res) => json(res, 200, { expiresAt: '2030-01-01T00:00:00Z' }));
    const error = await rejectionOf(resolveAuth('y0_x', { iamEndpoint: iam.url }).getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: 200 });
    expect((error as ApiError).message).toContain('no token in the answer');
  });

  it('an unreachable IAM endpoint is an UNAVAILABLE ApiError without an HTTP status', async () => {
    const error = await rejectionOf(resolveAuth('y0_x', { iamEndpoint: `http://${await closedAddr()}` }).getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 14, httpStatus: null, authProvider: 'oauth' });
    expect((error as ApiError).message).toContain('ECONNREFUSED');
  });

  it('aborting the only waiting caller aborts the exchange request and rejects with the signal reason', async () => {
    let answer = false;
    let aborted!: (value: boolean) => void;
    const requestClosed = new Promise<boolean>((resolve) => (aborted = resolve));
    const iam = await standIn((_, res) => {
      if (answer) return json(res, 200, { iamToken: 't1.after-abort', expiresAt: '2999-01-01T00:00:00Z' });
      res.on('close', () => aborted(!res.writableFinished));
    });
    const provider = resolveAuth('y0_x', { iamEndpoint: iam.url });
    const controller = new AbortController();
    const pending = rejectionOf(provider.getHeaders(controller.signal));
    await vi.waitFor(() => expect(iam.seen).toHaveLength(1));
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(await requestClosed).toBe(true);
    answer = true;
    expect(await authorizationOf(provider)).toBe('Bearer t1.after-abort');
  });

  it('a caller that leaves through its signal does not disturb the others sharing the exchange', async () => {
    const release = gate();
    const iam = await standIn(async (_, res) => {
      await release.opened;
      json(res, 200, { iamToken: 't1.for-the-stayer', expiresAt: '2999-01-01T00:00:00Z' });
    });
    const provider = resolveAuth('y0_x', { iamEndpoint: iam.url });
    const controller = new AbortController();
    const leaver = rejectionOf(provider.getHeaders(controller.signal));
    const stayer = authorizationOf(provider);
    await vi.waitFor(() => expect(iam.seen).toHaveLength(1));
    controller.abort();
    expect(await leaver).toMatchObject({ name: 'AbortError' });
    release.open();
    expect(await stayer).toBe('Bearer t1.for-the-stayer');
    expect(iam.seen).toHaveLength(1);
  });

  it('an already aborted signal rejects with its reason before any request', async () => {
    const iam = await iamStandIn('t1.never');
    const reason = new Error('already');
    const error = await rejectionOf(resolveAuth('y0_x', { iamEndpoint: iam.url }).getHeaders(AbortSignal.abort(reason)));
    expect(error).toBe(reason);
    expect(iam.seen).toHaveLength(0);
  });
});

// ---- the metadata service ---------------------------------------------------------------------

describe('the metadata service', () => {
  it('gives a token for the Metadata-Flavor header, cached until shortly before expires_in runs out', async () => {
    let clock = 1_700_000_000_000;
    const metadata = await metadataStandIn('t1.from-metadata', 600);
    const provider = new MetadataServiceAuth({ addr: metadata.addr, now: () => clock });
    expect(provider.name).toBe('metadata-service');
    expect(await provider.getHeaders()).toEqual({ Authorization: 'Bearer t1.from-metadata' });
    expect(metadata.seen[0]).toMatchObject({ method: 'GET', url: '/computeMetadata/v1/instance/service-accounts/default/token' });
    expect(metadata.seen[0]!.headers['metadata-flavor']).toBe('Google');
    clock += 539_000; // 61 s left of 600
    await provider.getHeaders();
    expect(metadata.seen).toHaveLength(1);
    clock += 2_000; // 59 s left
    await provider.getHeaders();
    expect(metadata.seen).toHaveLength(2);
  });

  it('an error answer is an authentication failure (gRPC 16) naming the service, with the HTTP status', async () => {
    const metadata = await standIn((_, res) => json(res, 404, { message: 'no service account' }));
    const error = await rejectionOf(new MetadataServiceAuth({ addr: metadata.addr, now: Date.now }).getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      grpcCode: 16,
      httpStatus: 404,
      endpoint: `${metadata.url}/computeMetadata/v1/instance/service-accounts/default/token`,
      authProvider: 'metadata-service',
    });
    expect((error as ApiError).message).toContain('Getting a token from the VM metadata service failed with HTTP 404: no service account');
  });
});

// ---- YC_TOKEN ---------------------------------------------------------------------------------

describe('YC_TOKEN', () => {
  it('is re-read on every call and sent as a Bearer header whatever its shape', async () => {
    const env: NodeJS.ProcessEnv = { YC_TOKEN: 't1.first' };
    const provider = new EnvTokenAuth(env, 'YC_TOKEN');
    expect(provider.name).toBe('env:YC_TOKEN');
    expect(await authorizationOf(provider)).toBe('Bearer t1.first');
    env.YC_TOKEN = 'AQVN-shaped-like-an-api-key';
    expect(await authorizationOf(provider)).toBe('Bearer AQVN-shaped-like-an-api-key');
  });

  it('once unset, it fails with an UNAUTHENTICATED ApiError', async () => {
    const env: NodeJS.ProcessEnv = { YC_TOKEN: 't1.gone-soon' };
    const provider = new EnvTokenAuth(env, 'YC_TOKEN');
    await provider.getHeaders();
    delete env.YC_TOKEN;
    const error = await rejectionOf(provider.getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: null, authProvider: 'env:YC_TOKEN', endpoint: 'env:YC_TOKEN' });
    expect((error as ApiError).message).toContain('YC_TOKEN is no longer set');
    expectNoSecretIn(error, ['t1.gone-soon']);
  });
});

// ---- the yc CLI -------------------------------------------------------------------------------

describe('the yc CLI', () => {
  it('runs yc iam create-token, takes the last line, and keeps the token for an hour', async () => {
    let clock = 1_700_000_000_000;
    const yc = await fakeYc("echo 'a notice'\necho 't1.from-yc'");
    const provider = new YcCliAuth({ ycPath: yc.path, env: {}, now: () => clock });
    expect(provider.name).toBe('yc-cli');
    expect(await provider.getHeaders()).toEqual({ Authorization: 'Bearer t1.from-yc' });
    expect(await yc.calls()).toEqual(['iam create-token --no-user-output']);
    clock += 59 * 60_000;
    await provider.getHeaders();
    expect(await yc.calls()).toHaveLength(1);
    clock += 2 * 60_000;
    await provider.getHeaders();
    expect(await yc.calls()).toHaveLength(2);
  });

  it('is found on the PATH of the given environment, and YC_PROFILE becomes --profile', async () => {
    const yc = await fakeYc("echo 't1.on-path'");
    const env = { PATH: `${yc.dir}:${process.env.PATH ?? ''}`, YC_PROFILE: 'work' };
    const provider = new YcCliAuth({ ycPath: 'yc', env, now: Date.now });
    expect(await authorizationOf(provider)).toBe('Bearer t1.on-path');
    expect(await yc.calls()).toEqual(['iam create-token --no-user-output --profile work']);
  });

  it('a failing yc is an ApiError quoting its stderr but never its stdout', async () => {
    const yc = await fakeYc("echo 't1.printed-before-failing'\necho 'ERROR: not logged in' >&2\nexit 3");
    const error = await rejectionOf(new YcCliAuth({ ycPath: yc.path, env: {}, now: Date.now }).getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, httpStatus: null, authProvider: 'yc-cli', endpoint: `${yc.path} iam create-token` });
    expect((error as ApiError).message).toContain('failed (exit code 3): ERROR: not logged in');
    expectNoSecretIn(error, ['t1.printed-before-failing']);
  });

  it('a missing yc is an ApiError saying it is not installed', async () => {
    const error = await rejectionOf(new YcCliAuth({ ycPath: NO_YC, env: {}, now: Date.now }).getHeaders());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('not installed');
  });

  it('aborting the call stops yc and rejects with the signal reason', async () => {
    const yc = await fakeYc('exec sleep 30');
    const provider = new YcCliAuth({ ycPath: yc.path, env: {}, now: Date.now });
    const controller = new AbortController();
    const pending = rejectionOf(provider.getHeaders(controller.signal));
    await vi.waitFor(async () => expect(await yc.calls()).toHaveLength(1));
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });
});

// ---- the environment chain --------------------------------------------------------------------

describe('the environment chain', () => {
  const ALL = { YC_API_KEY: 'AQVN-env-key', YC_IAM_TOKEN: 't1.env-iam', YC_OAUTH_TOKEN: 'y0_env-oauth', YC_TOKEN: 't1.env-yc-token' };
  const { YC_API_KEY: _apiKey, ...fromIam } = ALL;
  const { YC_IAM_TOKEN: _iam, ...fromOAuth } = fromIam;
  const { YC_OAUTH_TOKEN: _oauth, ...fromMetadata } = fromOAuth;

  it.each([
    ['YC_API_KEY first', ALL, true, 'api-key', 'Api-Key AQVN-env-key'],
    ['then YC_IAM_TOKEN', fromIam, true, 'iam-token', 'Bearer t1.env-iam'],
    ['then YC_OAUTH_TOKEN', fromOAuth, true, 'oauth', 'Bearer t1.exchanged'],
    ['then the metadata service', fromMetadata, true, 'metadata-service', 'Bearer t1.from-metadata'],
    ['then YC_TOKEN', fromMetadata, false, 'env:YC_TOKEN', 'Bearer t1.env-yc-token'],
    ['then the yc CLI', {}, false, 'yc-cli', 'Bearer t1.from-yc'],
  ])('%s', async (_, vars, metadataUp, chosen, header) => {
    const iam = await iamStandIn('t1.exchanged');
    const metadata = await metadataStandIn('t1.from-metadata');
    const yc = await fakeYc("echo 't1.from-yc'");
    const environment = await chainEnvironment(vars, {
      iamEndpoint: iam.url,
      ycPath: yc.path,
      ...(metadataUp ? { metadataAddr: metadata.addr } : {}),
    });
    const provider = resolveAuth(undefined, environment);
    expect(await authorizationOf(provider)).toBe(header);
    expect(provider.name).toBe(`env-chain(${chosen})`);
    // The sources after the chosen one are never consulted.
    const order = ['api-key', 'iam-token', 'oauth', 'metadata-service', 'env:YC_TOKEN', 'yc-cli'];
    const consulted = (source: string) => order.indexOf(source) <= order.indexOf(chosen);
    expect(metadata.seen.length > 0).toBe(metadataUp && consulted('metadata-service'));
    expect((await yc.calls()).length > 0).toBe(consulted('yc-cli'));
  });

  it('with nothing found it sends no Authorization header and its name says none', async () => {
    const provider = resolveAuth(undefined, await chainEnvironment({}));
    expect(await provider.getHeaders()).toEqual({});
    expect(provider.name).toBe('env-chain(none)');
  });

  it('empty or blank variables count as unset', async () => {
    const provider = resolveAuth(undefined, await chainEnvironment({ YC_API_KEY: '', YC_IAM_TOKEN: '  ', YC_TOKEN: ' t1.padded \n' }));
    expect(await authorizationOf(provider)).toBe('Bearer t1.padded');
    expect(provider.name).toBe('env-chain(env:YC_TOKEN)');
  });

  it('does nothing until the first getHeaders call', async () => {
    const metadata = await metadataStandIn('t1.lazy');
    const env: NodeJS.ProcessEnv = {};
    const provider = resolveAuth(undefined, { ...(await chainEnvironment({})), env, metadataAddr: metadata.addr });
    env.YC_API_KEY = 'AQVN-set-after-construction';
    expect(provider.name).toBe('env-chain');
    expect(metadata.seen).toHaveLength(0);
    expect(await authorizationOf(provider)).toBe('Api-Key AQVN-set-after-construction');
    expect(metadata.seen).toHaveLength(0);
  });

  it('concurrent first callers share one walk, and the probe token serves the first requests', async () => {
    const metadata = await metadataStandIn('t1.probed');
    const yc = await fakeYc("echo 't1.from-yc'");
    const provider = resolveAuth(undefined, await chainEnvironment({}, { metadataAddr: metadata.addr, ycPath: yc.path }));
    const headers = await Promise.all(Array.from({ length: 5 }, () => authorizationOf(provider)));
    expect(headers).toEqual(Array(5).fill('Bearer t1.probed'));
    expect(metadata.seen).toHaveLength(1);
    expect(await yc.calls()).toHaveLength(0);
  });

  it('the chosen provider is kept: later calls do not walk the chain again', async () => {
    const env: NodeJS.ProcessEnv = { YC_TOKEN: 't1.first' };
    const provider = resolveAuth(undefined, { ...(await chainEnvironment({})), env });
    await provider.getHeaders();
    env.YC_API_KEY = 'AQVN-too-late';
    env.YC_TOKEN = 't1.second';
    expect(await authorizationOf(provider)).toBe('Bearer t1.second');
    expect(provider.name).toBe('env-chain(env:YC_TOKEN)');
  });

  it('an unreachable metadata service (connection refused) moves the chain on', async () => {
    const provider = resolveAuth(undefined, await chainEnvironment({ YC_TOKEN: 't1.next' }));
    expect(await authorizationOf(provider)).toBe('Bearer t1.next');
  });

  it('a metadata service that does not answer within its one-second probe moves the chain on', async () => {
    const metadata = await standIn(() => undefined); // never answers
    const provider = resolveAuth(undefined, await chainEnvironment({ YC_TOKEN: 't1.next' }, { metadataAddr: metadata.addr }));
    expect(await authorizationOf(provider)).toBe('Bearer t1.next');
    expect(metadata.seen).toHaveLength(1);
  });

  it('a metadata service answering an error moves the chain on', async () => {
    const metadata = await standIn((_, res) => json(res, 404, { message: 'no service account' }));
    const provider = resolveAuth(undefined, await chainEnvironment({ YC_TOKEN: 't1.next' }, { metadataAddr: metadata.addr }));
    expect(await authorizationOf(provider)).toBe('Bearer t1.next');
  });

  it('YC_METADATA_ADDR in the environment gives the metadata address', async () => {
    const metadata = await metadataStandIn('t1.via-env-addr');
    const { metadataAddr: _, ...environment } = await chainEnvironment({ YC_METADATA_ADDR: metadata.addr });
    expect(await authorizationOf(resolveAuth(undefined, environment))).toBe('Bearer t1.via-env-addr');
  });

  it('a failing yc moves the chain on to no credentials', async () => {
    const yc = await fakeYc('exit 1');
    const provider = resolveAuth(undefined, await chainEnvironment({}, { ycPath: yc.path }));
    expect(await provider.getHeaders()).toEqual({});
    expect(provider.name).toBe('env-chain(none)');
  });

  it('aborting the first call rejects with the signal reason and leaves the walk to the next call', async () => {
    let answer = false;
    let aborted!: (value: boolean) => void;
    const probeClosed = new Promise<boolean>((resolve) => (aborted = resolve));
    const metadata = await standIn((_, res) => {
      if (answer) return json(res, 200, { access_token: 't1.second-walk', expires_in: 3600 });
      res.on('close', () => aborted(!res.writableFinished));
    });
    const provider = resolveAuth(undefined, await chainEnvironment({}, { metadataAddr: metadata.addr }));
    const reason = new Error('not now');
    expect(await rejectionOf(provider.getHeaders(AbortSignal.abort(reason)))).toBe(reason);
    expect(metadata.seen).toHaveLength(0);

    const controller = new AbortController();
    const pending = rejectionOf(provider.getHeaders(controller.signal));
    await vi.waitFor(() => expect(metadata.seen).toHaveLength(1));
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(await probeClosed).toBe(true);
    expect(provider.name).toBe('env-chain');

    answer = true;
    expect(await authorizationOf(provider)).toBe('Bearer t1.second-walk');
    expect(provider.name).toBe('env-chain(metadata-service)');
  });
});

// ---- secrets ----------------------------------------------------------------------------------

describe('secrets', () => {
  /** Every kind of provider after a successful getHeaders, with the secrets it holds. */
  async function everyProvider(): Promise<Array<[string, AuthProvider, string[]]>> {
    const iam = await iamStandIn('t1.secret-exchanged');
    const metadata = await metadataStandIn('t1.secret-metadata');
    const yc = await fakeYc("echo 't1.secret-yc'");
    const providers: Array<[string, AuthProvider, string[]]> = [
      ['api-key', resolveAuth('AQVN-secret-key'), ['AQVN-secret-key']],
      ['iam-token', resolveAuth({ iamToken: 't1.secret-iam' }), ['t1.secret-iam']],
      ['oauth', resolveAuth('y0_secret-oauth', { iamEndpoint: iam.url }), ['y0_secret-oauth', 't1.secret-exchanged']],
      ['metadata-service', new MetadataServiceAuth({ addr: metadata.addr, now: Date.now }), ['t1.secret-metadata']],
      ['env:YC_TOKEN', new EnvTokenAuth({ YC_TOKEN: 't1.secret-env' }, 'YC_TOKEN'), ['t1.secret-env']],
      ['yc-cli', new YcCliAuth({ ycPath: yc.path, env: {}, now: Date.now }), ['t1.secret-yc']],
      [
        'env-chain(api-key)',
        resolveAuth(undefined, await chainEnvironment({ YC_API_KEY: 'AQVN-secret-env-key' })),
        ['AQVN-secret-env-key'],
      ],
      [
        'env-chain(oauth)',
        resolveAuth(undefined, await chainEnvironment({ YC_OAUTH_TOKEN: 'y0_secret-env-oauth' }, { iamEndpoint: iam.url })),
        ['y0_secret-env-oauth', 't1.secret-exchanged'],
      ],
      [
        'env-chain(metadata-service)',
        resolveAuth(undefined, await chainEnvironment({}, { metadataAddr: metadata.addr })),
        ['t1.secret-metadata'],
      ],
    ];
    for (const [, provider] of providers) await provider.getHeaders();
    return providers;
  }

  it('no provider shows its secret in String(), util.inspect or JSON.stringify, only its name', async () => {
    for (const [name, provider, secrets] of await everyProvider()) {
      expect(provider.name).toBe(name);
      expect(String(provider)).toBe(`AuthProvider<${name}>`);
      expectNoSecretIn(provider, secrets);
    }
  });

  it('no failure shows a secret in its message, text forms or fields', async () => {
    // Each failure is caught at once (by rejectionOf) so that none is left unhandled meanwhile.
    const failures: Array<[Promise<unknown>, string[]]> = [];
    const echoing = await standIn((seen, res) =>
      json(res, 400, { code: 3, message: `bad token ${JSON.parse(seen.body).yandexPassportOauthToken}`, details: [] }),
    );
    failures.push([rejectionOf(resolveAuth('y0_secret-echoed', { iamEndpoint: echoing.url }).getHeaders()), ['y0_secret-echoed']]);
    failures.push([
      rejectionOf(resolveAuth('y0_secret-unreachable', { iamEndpoint: `http://${await closedAddr()}` }).getHeaders()),
      ['y0_secret-unreachable'],
    ]);
    const env: NodeJS.ProcessEnv = { YC_TOKEN: 't1.secret-unset' };
    const envToken = resolveAuth(undefined, { ...(await chainEnvironment({})), env });
    await envToken.getHeaders();
    delete env.YC_TOKEN;
    failures.push([rejectionOf(envToken.getHeaders()), ['t1.secret-unset']]);
    const yc = await fakeYc("echo 't1.secret-stdout'\nexit 2");
    failures.push([rejectionOf(new YcCliAuth({ ycPath: yc.path, env: {}, now: Date.now }).getHeaders()), ['t1.secret-stdout']]);

    for (const [failure, secrets] of failures) {
      const error = await failure;
      expect(error).toBeInstanceOf(ApiError);
      expectNoSecretIn(error, secrets);
    }
  });
});
