/**
 * A minimal Operation API server for the latency rows, run in a child process so that the
 * emulator's own work (validation, request log, scripts) does not blur the client's cost.
 * Every `GET /operations/{id}` answers a running Operation of that id (about 200 bytes of JSON),
 * with keep-alive. It prints `PORT <n>` once it listens on 127.0.0.1.
 */
import http from 'node:http';

const now = new Date().toISOString();
/** The answer for each id asked, built once. */
const bodies = new Map();
const bodyOf = (id) =>
  bodies.get(id) ??
  bodies
    .set(
      id,
      Buffer.from(
        JSON.stringify({
          id,
          description: 'Emulated operation',
          createdAt: now,
          createdBy: 'bench',
          modifiedAt: now,
          done: false,
          metadata: { '@type': 'type.googleapis.com/bench.Progress', percent: 42 },
        }),
      ),
    )
    .get(id);
const notFound = Buffer.from('{"code":5,"message":"not found","details":[]}');

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/operations/')) {
    const body = bodyOf(decodeURIComponent(req.url.slice('/operations/'.length)));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  } else {
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': String(notFound.length) });
    res.end(notFound);
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
