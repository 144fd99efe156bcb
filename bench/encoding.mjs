/**
 * A focused comparison of the poll's cost with compressed answers (src/transport/http-adapter.ts):
 * client CPU per status request and requests per second, 64 in flight, for a small poll answer
 * (about 300 bytes) and a large one (about 100 KB, as an image generation result), each served
 * plain and, to a client that asks for it, gzip-compressed (bodies compressed once, in the
 * server's own process). With `BEFORE_DIST=<path of another build's dist/index.js>`, that build
 * runs beside this one in the same process and the same interleaved slots, so that one run gives
 * before/after ratios on one machine state. The floor of the small plain answer runs in the same
 * slots: a bare `node:http` keep-alive GET whose body is parsed as JSON (bench/lib.mjs's
 * `bareGet`). Beside each variant's CPU, the JS heap it allocates per poll, measured in a child
 * process with a young generation large enough that no collection runs inside the window (one
 * poll at a time, as bench/rows/alloc.mjs does). Prints a table.
 *
 *   npm run build && node bench/encoding.mjs
 *   BEFORE_DIST=/tmp/before/dist/index.js node bench/encoding.mjs
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { bareGet, heapBytesPerPoll, median, slot } from './lib.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SLOT_MS = Number(process.env.BENCH_SLOT_MS ?? 500);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 12);
const LARGE_BYTES = 100_000;
/** Polls per allocation window: fewer of the large answer, whose 100 KB strings would fill the young generation. */
const ALLOC_POLLS = { small: 1000, large: 100 };
const ALLOC_ROUNDS = 5;
/** The floor's name: a bare node:http GET of the small plain answer. */
const FLOOR = 'node:http small plain';

if (process.argv[2] === '--serve') serve();
else if (process.argv[2] === '--alloc') await allocation(process.argv[3]);
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

/** Starts the server child: its base URL, and a function that stops it. */
async function startServing() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  return { url: `http://127.0.0.1:${/PORT (\d+)/.exec(String(chunk))[1]}`, stop: () => child.stdin.end() };
}

/** Each build's client per answer and server mode, and the floor: a poll function per variant, and what to close. */
async function makeVariants(url) {
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
  const agent = new http.Agent({ keepAlive: true });
  variants[FLOOR] = (i) => bareGet(`${url}/plain/small/operations/${ids[i]}`, agent);
  const close = () => {
    for (const client of clients) client.close();
    agent.destroy();
  };
  return { ids, variants, close };
}

/**
 * `--alloc <url>`: bytes of JS heap per poll of each variant, one poll at a time, as JSON on
 * stdout. Run with `--expose-gc` and a large young generation (see {@link allocations}).
 */
async function allocation(url) {
  const { variants, close } = await makeVariants(url);
  for (const poll of Object.values(variants)) for (let i = 0; i < 200; i++) await poll(0);
  const runs = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < ALLOC_ROUNDS; round++) {
    for (const [name, poll] of Object.entries(variants)) {
      runs[name].push(await heapBytesPerPoll(poll, name.includes(' large ') ? ALLOC_POLLS.large : ALLOC_POLLS.small));
    }
  }
  close();
  const bytes = Object.fromEntries(
    Object.entries(runs).map(([name, r]) => [name, r.some((b) => b !== null) ? median(r.filter((b) => b !== null)) : null]),
  );
  process.stdout.write(`${JSON.stringify(bytes)}\n`);
  process.exit(0);
}

/** Bytes per poll of each variant, from a child process (`--alloc`) with its own heap flags. */
async function allocations(url) {
  const flags = ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128'];
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), '--alloc', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the allocation child exited with code ${code}`);
  return JSON.parse(out);
}

async function compare() {
  const server = await startServing();
  const { ids, variants, close } = await makeVariants(server.url);
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
  close();
  const bytes = await allocations(server.url);
  server.stop();
  // Each variant's median slot by CPU per request: the machine's other load moves single slots.
  const best = Object.fromEntries(
    Object.entries(results).map(([name, slots]) => [
      name,
      [...slots].sort((a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest)[Math.floor(slots.length / 2)],
    ]),
  );
  const ratio = (r, b) => (b && b !== r ? `${(r.cpuUsPerRequest / b.cpuUsPerRequest).toFixed(2)}x` : '');
  const floor = best[FLOOR];
  console.log('variant (build answer server) | polls/s | vs node:http | CPU µs/poll | CPU vs before | CPU vs plain | bytes/poll');
  for (const [name, r] of Object.entries(best)) {
    const vsBefore = name.startsWith('after') ? ratio(r, best[name.replace(/^after/, 'before')]) : '';
    const vsPlain = ratio(r, best[name.replace(/ gz$/, ' plain')]);
    const vsFloor = name.endsWith(' small plain') && r !== floor ? `${(r.perSecond / floor.perSecond).toFixed(2)}x` : '';
    const heap = bytes[name] === null ? 'n/a' : `${(bytes[name] / 1024).toFixed(1)} KB`;
    console.log(
      `${name.padEnd(29)} | ${r.perSecond.toFixed(0).padStart(7)} | ${vsFloor.padStart(12)} | ${r.cpuUsPerRequest.toFixed(1).padStart(11)} | ${vsBefore.padStart(13)} | ${vsPlain.padStart(12)} | ${heap.padStart(10)}`,
    );
  }
  console.log(
    `(${SLOTS} interleaved slots of ${SLOT_MS} ms, ${CONCURRENCY} in flight, the median slot by CPU; "plain" never compresses, "gz" compresses for a client that asks; bytes/poll: the median of ${ALLOC_ROUNDS} rounds of ${ALLOC_POLLS.small} polls, ${ALLOC_POLLS.large} of the large answer, one at a time)`,
  );
}
