/**
 * Token services that answer an error, of every HTTP status (src/transport/auth): the OAuth → IAM
 * exchange in both flavours over REST and gRPC, the VM metadata service and the `yc` CLI. Each is
 * an authentication failure (ApiError, gRPC 16) naming the token service, never an error about
 * the operation (a 404 of a wrong `iamEndpoint` is no OperationNotFoundError), and none carries
 * the token or what the server echoed of it. The servers run in a child process
 * (test/fixtures/misbehaving-server.mjs).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient, OperationNotFoundError } from 'yc-operation';
import { MetadataServiceAuth, YcCliAuth } from '../src/transport/auth/index';
import { FLAVOURS_AND_PROTOCOLS } from './helpers/flavours';
import { errorOf, failOnUnhandledRejections, outcomeOf } from './resilience/harness';
import { type Misbehaving, startMisbehaving } from './resilience/misbehaving';

const OAUTH_TOKEN = 'y0_secret-oauth-token-for-status-tests';
const STATUSES = [302, 400, 401, 403, 404, 429, 500, 503];

let server: Misbehaving;
beforeAll(async () => {
  server = await startMisbehaving();
});
afterAll(() => server.close());
failOnUnhandledRejections();

/** Every text form of an error a user or a logger could see, its causes included. */
function textForms(error: unknown): string[] {
  const forms = [String(error), inspect(error, { showHidden: true, depth: Infinity }), JSON.stringify(error)];
  if (error instanceof Error) {
    forms.push(error.message, error.stack ?? '', JSON.stringify({ ...error }));
    if (error.cause !== undefined) forms.push(...textForms(error.cause));
  }
  return forms;
}

function expectAuthFailure(error: Error & Record<string, unknown>, status: number, endpoint: string, secret: string): void {
  expect(error).toBeInstanceOf(ApiError);
  expect(error).not.toBeInstanceOf(OperationNotFoundError);
  expect(error.name).toBe('ApiError');
  expect(error).toMatchObject({ grpcCode: 16, httpStatus: status, endpoint });
  expect(error.message).toContain(endpoint);
  for (const text of textForms(error)) expect(text).not.toContain(secret);
}

describe.each(FLAVOURS_AND_PROTOCOLS)('$label: an OAuth token exchange that answers an error', (flavour) => {
  test.each(STATUSES)('HTTP %i is an authentication failure naming the IAM endpoint, for getStatus and wait alike', async (status) => {
    const iamEndpoint = `${server.rest}/status/${status}`;
    const endpoint = flavour.protocol === 'grpc' ? server.grpc : server.rest;
    const client = flavour.client({ endpoint, auth: { oauthToken: OAUTH_TOKEN }, iamEndpoint, retry: false });
    const operation = client.operation('some-operation');
    const polled = errorOf(await outcomeOf(() => operation.getStatus({ timeout: 20 })));
    const waited = errorOf(await outcomeOf(() => operation.wait({ pollTimeout: 20, pollInterval: 0.01 })));
    client.close();
    for (const error of [polled, waited]) {
      expectAuthFailure(error, status, `${iamEndpoint}/iam/v1/tokens`, OAUTH_TOKEN);
      expect(error.message).toContain(`Exchanging the OAuth token for an IAM token failed with HTTP ${status}`);
      expect(error.message).toContain('auth: oauth');
    }
  });
});

describe('the VM metadata service answering an error', () => {
  const url = () => `${server.rest}/computeMetadata/v1/instance/service-accounts/default/token`;
  const setStatus = (status: number) => fetch(`${server.rest}/control/metadata/${status}`);

  test.each(STATUSES)('HTTP %i is an authentication failure naming the service', async (status) => {
    await setStatus(status);
    const provider = new MetadataServiceAuth({ addr: new URL(server.rest).host, now: Date.now });
    const error = errorOf(await outcomeOf(() => provider.getHeaders()));
    expectAuthFailure(error, status, url(), 't1.metadata-token');
    expect(error.message).toContain(`Getting a token from the VM metadata service failed with HTTP ${status}`);
  });

  test.each(FLAVOURS_AND_PROTOCOLS.filter((f) => f.name === 'async'))('$label: a 404 is no OperationNotFoundError', async (flavour) => {
    await setStatus(404);
    const auth = new MetadataServiceAuth({ addr: new URL(server.rest).host, now: Date.now });
    const client = new AsyncOperationsClient({
      endpoint: flavour.protocol === 'grpc' ? server.grpc : server.rest,
      protocol: flavour.protocol,
      auth,
      retry: false,
    });
    const error = errorOf(await outcomeOf(() => client.operation('some-operation').getStatus({ timeout: 20 })));
    client.close();
    expectAuthFailure(error, 404, url(), 't1.metadata-token');
  });
});

describe('the yc CLI failing', () => {
  test('its failure is an authentication failure naming the command, without the token it printed or echoed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-status-'));
    const yc = join(dir, 'yc');
    const token = 't1.printed-before-failing';
    await writeFile(yc, `#!/bin/sh\necho ${token}\necho "error: token ${token} rejected with 403" >&2\nexit 3\n`);
    await chmod(yc, 0o755);
    const error = errorOf(await outcomeOf(() => new YcCliAuth({ ycPath: yc, env: {}, now: Date.now }).getHeaders()));
    await rm(dir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 16, endpoint: `${yc} iam create-token`, authProvider: 'yc-cli' });
    expect(error.message).toContain('failed (exit code 3): error: token <redacted> rejected with 403');
    for (const text of textForms(error)) expect(text).not.toContain(token);
  });
});
