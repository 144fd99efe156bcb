/**
 * What moves the bytes: the SDK's axios adapter over node:http(s), or a user's own axios instance.
 * Proxies from the environment (a loopback CONNECT proxy written here), NO_PROXY, a custom CA for
 * an https endpoint (a self-signed certificate made with openssl), in both flavours (the blocking
 * one in a child process, so that the servers here keep answering), and a user's axios instance
 * whose interceptors see every request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { runNode } from './helpers/child';
import { selfSigned } from './helpers/tls';

const OPERATION = (id: string) => JSON.stringify({ id, done: true, response: { '@type': 'type.googleapis.com/google.protobuf.Empty' } });

let emu: Emulator;
let dir: string;
let cert: string;
let tlsServer: https.Server;
let tlsUrl: string;
let proxy: http.Server;
let proxyUrl: string;
/** The CONNECT targets the proxy was asked for. */
const tunnels: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'yc-adapter-'));
  const server = selfSigned(dir, 'server', 'IP:127.0.0.1,DNS:localhost', 'localhost');
  cert = server.cert;
  tlsServer = https.createServer({ key: server.key, cert }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(OPERATION(decodeURIComponent(req.url!.split('/').pop()!)));
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(tlsServer.address() as net.AddressInfo).port}`;
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url!);
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  tlsServer.closeAllConnections();
  await Promise.all([emu.close(), new Promise((r) => proxy.close(r)), new Promise((r) => tlsServer.close(r))]);
  rmSync(dir, { recursive: true, force: true });
});

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const savedEnv = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
afterEach(() => {
  tunnels.length = 0;
  for (const name of PROXY_VARIABLES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

/** A blocking client's status of `id` in a child process with `env`: its status name, or its error's message. */
async function blockingStatus(options: Record<string, unknown>, id: string, env: Record<string, string>): Promise<string> {
  const child = await runNode(
    [
      '--input-type=module',
      '-e',
      `
    const { OperationsClient } = await import('yc-operation');
    const client = new OperationsClient(JSON.parse(process.env.OPTIONS));
    try {
      console.log('STATUS ' + client.operation(process.env.OP).getStatus().statusName);
    } catch (error) {
      console.log('ERROR ' + error.message);
    } finally {
      client.close();
    }
  `,
    ],
    { OPTIONS: JSON.stringify(options), OP: id, ...env },
  );
  return child.stdout.trim();
}

describe('promise flavour', () => {
  test('HTTP_PROXY: every request goes through a CONNECT tunnel of the proxy', async () => {
    process.env.HTTP_PROXY = proxyUrl;
    const id = await emu.create({ donePolls: 2 });
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    await client.operation(id).wait({ pollInterval: 0.01 });
    client.close();
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([new URL(emu.url).host]));
  });

  test('NO_PROXY naming the host connects directly', async () => {
    Object.assign(process.env, { HTTP_PROXY: proxyUrl, NO_PROXY: 'example.com, 127.0.0.1' });
    const id = await emu.create({});
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    expect((await client.operation(id).getStatus()).isSucceeded).toBe(true);
    client.close();
    expect(tunnels).toEqual([]);
  });

  test('a self-signed https endpoint: refused without `ca`, trusted with it, also through HTTPS_PROXY', async () => {
    const refused = new AsyncOperationsClient({ endpoint: tlsUrl, auth: null, retry: false });
    const error = await refused
      .operation('tls-op')
      .getStatus()
      .catch((e: unknown) => e);
    refused.close();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).grpcCode).toBe(14);

    const trusted = new AsyncOperationsClient({ endpoint: tlsUrl, auth: null, ca: cert });
    expect((await trusted.operation('tls-op').getStatus()).isSucceeded).toBe(true);
    trusted.close();

    process.env.HTTPS_PROXY = proxyUrl;
    const proxied = new AsyncOperationsClient({ endpoint: tlsUrl, auth: null, ca: Buffer.from(cert) });
    expect((await proxied.operation('tls-op').getStatus()).isSucceeded).toBe(true);
    proxied.close();
    expect(tunnels).toEqual([new URL(tlsUrl).host]);
  });

  test("a user's axios instance sends every request: its interceptors see each one", async () => {
    const instance = axios.create();
    const seen: string[] = [];
    instance.interceptors.request.use((config) => {
      seen.push(`${config.method} ${config.url}`);
      return config;
    });
    const id = await emu.create({ donePolls: 3 });
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null, axios: instance });
    await client.operation(id).wait({ pollInterval: 0.01 });
    client.close();
    expect(seen).toEqual(Array(3).fill(`get ${emu.url}/operations/${id}`));
  });

  test('bad `ca` and `axios` options are refused, naming the option', () => {
    expect(() => new AsyncOperationsClient({ auth: null, ca: '' })).toThrow(/ca must be a non-empty PEM string or Buffer/);
    expect(() => new AsyncOperationsClient({ auth: null, axios: {} as never })).toThrow(/axios must be an axios instance/);
    expect(() => new OperationsClient({ auth: null, axios: axios.create() } as never)).toThrow(TypeError);
  });
});

describe('blocking flavour (in a child process)', () => {
  test('HTTP_PROXY reaches its worker: the request goes through the tunnel', async () => {
    const id = await emu.create({});
    expect(await blockingStatus({ endpoint: emu.url, auth: null }, id, { HTTP_PROXY: proxyUrl })).toBe('STATUS success');
    expect(tunnels).toEqual([new URL(emu.url).host]);
  });

  test('`ca` travels to its worker: a self-signed endpoint is trusted with it, refused without', async () => {
    expect(await blockingStatus({ endpoint: tlsUrl, auth: null, ca: cert }, 'tls-op', {})).toBe('STATUS success');
    expect(await blockingStatus({ endpoint: tlsUrl, auth: null, retry: false }, 'tls-op', {})).toMatch(/^ERROR network error: /);
  });
});
