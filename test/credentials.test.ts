/**
 * Credentials end to end, in both flavours: an OAuth token exchanged for an IAM token at a
 * loopback stand-in of the IAM API (one exchange for many calls), and the IAM token accepted by
 * the emulator. The stand-in runs in a worker thread: a blocking call holds the test's thread.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from './helpers/flavours';

const OAUTH = 'y0_oauth-secret-token';
const IAM = 't1.iam-secret-token';

const IAM_STAND_IN = `
  const { parentPort } = require('node:worker_threads');
  const http = require('node:http');
  const exchanges = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      exchanges.push(req.method + ' ' + req.url + ' ' + body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ iamToken: ${JSON.stringify(IAM)}, expiresAt: new Date(Date.now() + 12 * 3600000).toISOString() }));
    });
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  parentPort.on('message', (m) => {
    if (m === 'log') parentPort.postMessage(exchanges.splice(0));
    else server.close(() => process.exit(0));
  });
`;

let emu: Emulator;
let iam: Worker;
let iamUrl: string;
const exchanges = async (): Promise<string[]> => {
  iam.postMessage('log');
  return (await once(iam, 'message'))[0];
};

beforeAll(async () => {
  emu = await startEmulator({ iamToken: IAM });
  iam = new Worker(IAM_STAND_IN, { eval: true });
  iamUrl = `http://127.0.0.1:${(await once(iam, 'message'))[0]}`;
});
afterAll(async () => {
  await emu.close();
  iam.postMessage('close');
  await once(iam, 'exit');
});

test.each(FLAVOURS)('$name: an OAuth token is exchanged once, and the IAM token authenticates every call', async (flavour) => {
  await exchanges();
  const client = flavour.client({ endpoint: emu.url, auth: { oauthToken: OAUTH }, iamEndpoint: iamUrl });
  const id = await emu.create({ donePolls: 3 });
  await emu.clearRequests();
  await client.operation(id).wait({ pollInterval: 0.01 });
  client.close();
  expect(await exchanges()).toEqual([`POST /iam/v1/tokens {"yandexPassportOauthToken":"${OAUTH}"}`]);
  const requests = await emu.requests();
  expect(requests).toHaveLength(3);
  expect(requests.every((r) => r.headers.authorization === `Bearer ${IAM}`)).toBe(true);
});

test.each(FLAVOURS)('$name: a bare string is classified by its shape', async (flavour) => {
  const client = flavour.client({ endpoint: emu.url, auth: IAM });
  const id = await emu.create({});
  await emu.clearRequests();
  await client.operation(id).getStatus();
  client.close();
  expect((await emu.requests())[0]!.headers.authorization).toBe(`Bearer ${IAM}`);
});
