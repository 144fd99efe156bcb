// Row "exit": a script that makes blocking calls and ends without closing its client. The parent
// times from the LAST line to the process's exit. With BENCH_BARE=1 it only prints the line (the
// floor: Node's own exit); with BENCH_UNDICI=1 it makes 20 GETs with an undici Pool instead (what
// the other candidate adapter would cost a short script: its WebAssembly parser holds the exit).
if (process.env.BENCH_UNDICI === '1') {
  const { Pool } = await import('undici');
  const pool = new Pool(process.env.BENCH_URL);
  for (let i = 0; i < 20; i++) await (await pool.request({ method: 'GET', path: '/operations/bench0000000000000000' })).body.json();
  await pool.close();
} else if (process.env.BENCH_BARE !== '1') {
  const { OperationsClient } = await import('yc-operation');
  const client = new OperationsClient({ endpoint: process.env.BENCH_URL, auth: null });
  const op = client.operation('bench0000000000000000');
  for (let i = 0; i < 20; i++) op.getStatus();
}
console.log('LAST');
