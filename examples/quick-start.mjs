// The quick start (ES module): start a deferred completion and wait for it, with promises and
// with a blocking call. Run: YC_API_KEY=... YC_FOLDER_ID=... node examples/quick-start.mjs
// Endpoints: YC_OPERATION_ENDPOINT (the Operation API) and YC_LLM_ENDPOINT (the start call)
// override the cloud's, as the tests do to point it at the emulator.
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';

const endpoint = process.env.YC_OPERATION_ENDPOINT; // undefined: https://operation.api.cloud.yandex.net
const start = { endpoint: process.env.YC_LLM_ENDPOINT }; // undefined: https://llm.api.cloud.yandex.net
const request = {
  modelUri: `gpt://${process.env.YC_FOLDER_ID}/yandexgpt-lite/latest`,
  messages: [{ role: 'user', text: 'Say hello' }],
};

// Promise flavour: credentials from the environment (YC_API_KEY, YC_IAM_TOKEN, ...).
const client = new AsyncOperationsClient({ endpoint });
const op = await client.completionAsync(request, start);
const result = await op.wait({ pollInterval: 1, onProgress: (s) => console.log(`promise: ${s}`) });
console.log(`promise: ${result.alternatives[0].message.text}`);
client.close();

// Blocking flavour: the same calls without await; the thread waits.
const blocking = new OperationsClient({ endpoint });
const answer = blocking.completionAsync(request, start).wait({ pollInterval: 1 });
console.log(`blocking: ${answer.alternatives[0].message.text}`);
blocking.close();
