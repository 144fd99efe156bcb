/**
 * A minimal Operation API server for the latency rows, run in a child process so that the
 * emulator's own work (validation, request log, scripts) does not blur the client's cost.
 * Every `GET /operations/{id}` answers the same running Operation with that id (about 200 bytes
 * of JSON; the client checks that the answer is of the operation it asked for), with keep-alive. It prints `PORT <n>` once it listens on 127.0.0.1.
 */
import http from 'node:http';

const now = new Date().toISOString();
const ID = '\u0000id\u0000';
const [before, after] = JSON.stringify({
  id: ID,
  description: 'Emulated operation',
  createdAt: now,
  createdBy: 'bench',
  modifiedAt: now,
  done: false,
  metadata: { '@type': 'type.googleapis.com/bench.Progress', percent: 42 },
}).split(JSON.stringify(ID).slice(1, -1)).map((part) => Buffer.from(part));
const notFound = Buffer.from('{"code":5,"message":"not found","details":[]}');

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/operations/')) {
    const body = Buffer.concat([before, Buffer.from(req.url.slice('/operations/'.length)), after]);
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
