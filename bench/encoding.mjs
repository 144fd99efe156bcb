/**
 * A focused comparison of the poll's cost with compressed answers (src/transport/http-adapter.ts):
 * client CPU per status request and requests per second, 64 in flight, for a small poll answer
 * (about 300 bytes) and a large one (about 100 KB, as an image generation result), each served
 * plain and, to a client that asks for it, gzip-compressed (bodies compressed once, in the
 * server's own process). With `BEFORE_DIST=<path of another build's dist/index.js>`, that build
 * runs beside this one in the same process and the same interleaved slots, so that one run gives
 * before/after ratios on one machine state. Prints a table.
 *
 *   npm run build && node bench/encoding.mjs
 *   BEFORE_DIST=/tmp/before/dist/index.js node bench/encoding.mjs
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { slot } from './lib.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SLOT_MS = Number(process.env.BENCH_SLOT_MS ?? 500);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 12);
const LARGE_BYTES = 100_000;

if (process.argv[2] === '--serve') serve();
else await compare();

/**
 * GET /{plain|gz}/{small|large}/operations/{id}: a running Operation; under /gz, gzip-compressed
 * when the request accepts gzip. Prints `PORT <n>`; exits when stdin ends.
 */
function serve() {
  const bodies = new Map();
  const bodyOf = (size, id, gzip) => {
    const key = `${size} ${id} ${gzip}`;
    if (!bodies.has(key)) {
      const description = size === 'large' ? 'x'.repeat(LARGE_BYTES) : 'Emulated operation';
      const json = Buffer.from(
        JSON.stringify({
          id,
          description,
          createdAt: '2026-01-01T00:00:00Z',
          createdBy: 'bench',
          modifiedAt: '2026-01-01T00:00:00Z',
          done: false,
          metadata: { '@type': 'type.googleapis.com/bench.Progress', percent: 42 },
        }),
      );
      bodies.set(key, gzip ? zlib.gzipSync(json) : json);
    }
    return bodies.get(key);
  };
  const server = http.createServer((req, res) => {
    const [, mode, size, , id] = req.url.split('/');
    const gzip = mode === 'gz' && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = bodyOf(size, decodeURIComponent(id), gzip);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(body.length),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

async function compare() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  const url = `http://127.0.0.1:${/PORT (\d+)/.exec(String(chunk))[1]}`;
  const builds = { after: await import(pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href) };
  if (process.env.BEFORE_DIST) builds.before = await import(pathToFileURL(process.env.BEFORE_DIST).href);
  const ids = Array.from({ length: CONCURRENCY }, (_, i) => `bench${String(i).padStart(16, '0')}`);
  const clients = [];
  const variants = {};
  for (const [build, { AsyncOperationsClient }] of Object.entries(builds)) {
    for (const size of ['small', 'large']) {
      for (const mode of ['plain', 'gz']) {
        const client = new AsyncOperationsClient({ endpoint: `${url}/${mode}/${size}`, auth: null });
        clients.push(client);
        const ops = ids.map((id) => client.operation(id));
        variants[`${build} ${size} ${mode}`] = (i) => ops[i].getStatus();
      }
    }
  }
  for (const fn of Object.values(variants)) await slot(fn, ids.length, 300);
  const results = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  // The small answers' variants take their slots in turn, then the large ones' (whose garbage
  // would otherwise be collected in a small one's slot), each round in another order (a fixed
  // shuffle), so that no variant always follows the same one and pays for its garbage.
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (const size of ['small', 'large']) {
    const names = Object.keys(variants).filter((name) => name.includes(` ${size} `));
    for (let s = 0; s < SLOTS; s++) {
      const order = names
        .map((name) => [random(), name])
        .sort((a, b) => a[0] - b[0])
        .map(([, name]) => name);
      for (const name of order) results[name].push(await slot(variants[name], ids.length, SLOT_MS));
    }
  }
  for (const client of clients) client.close();
  child.stdin.end();
  // Each variant's median slot by CPU per request: the machine's other load moves single slots.
  const best = Object.fromEntries(
    Object.entries(results).map(([name, slots]) => [
      name,
      [...slots].sort((a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest)[Math.floor(slots.length / 2)],
    ]),
  );
  const ratio = (r, b) => (b && b !== r ? `${(r.cpuUsPerRequest / b.cpuUsPerRequest).toFixed(2)}x` : '');
  console.log('variant (build answer server) | polls/s | CPU µs/poll | CPU vs before | CPU vs plain');
  for (const [name, r] of Object.entries(best)) {
    const vsBefore = name.startsWith('after') ? ratio(r, best[name.replace(/^after/, 'before')]) : '';
    const vsPlain = ratio(r, best[name.replace(/ gz$/, ' plain')]);
    console.log(
      `${name.padEnd(29)} | ${r.perSecond.toFixed(0).padStart(7)} | ${r.cpuUsPerRequest.toFixed(1).padStart(11)} | ${vsBefore.padStart(13)} | ${vsPlain.padStart(12)}`,
    );
  }
  console.log(
    `(${SLOTS} interleaved slots of ${SLOT_MS} ms, ${CONCURRENCY} in flight; "plain" never compresses, "gz" compresses for a client that asks)`,
  );
}
