// The promise flavour over the runtime's own `fetch`: an axios instance with axios's fetch
// adapter, given as the client's `axios` option (REST only; the blocking flavour always sends
// from its worker thread, over node:http). Useful where node:http is missing or emulated.
// Run: YC_API_KEY=... node examples/fetch-adapter.mjs <operation id>   (or bun, or deno run -A)
import axios from 'axios';
import { AsyncOperationsClient } from 'yc-operation';

const id = process.argv[2] ?? process.env.YC_OPERATION_ID;
if (!id) throw new Error('usage: fetch-adapter <operation id> (or set YC_OPERATION_ID)');

const client = new AsyncOperationsClient({
  endpoint: process.env.YC_OPERATION_ENDPOINT,
  axios: axios.create({ adapter: 'fetch' }),
});
try {
  const result = await client.operation(id).wait({ pollInterval: 0.5 });
  console.log(`fetch: ${JSON.stringify(result)}`);
} finally {
  client.close();
}
