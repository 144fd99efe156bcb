// `fromOperation`: you made the start call yourself (here with fetch; it could be any HTTP
// client, or the official SDK) and hold its answer, an Operation JSON. The client takes it over
// and waits; the generic parameters type what it finishes with.
// Run: YC_API_KEY=... YC_FOLDER_ID=... (compiled with tsc, or under Bun or Deno as it is)
import { AsyncOperationsClient, type CompletionResponse } from 'yc-operation';

const llm = process.env.YC_LLM_ENDPOINT ?? 'https://llm.api.cloud.yandex.net';
const apiKey = process.env.YC_API_KEY;
if (!apiKey) throw new Error('set YC_API_KEY');

const started = await fetch(`${llm}/foundationModels/v1/completionAsync`, {
  method: 'POST',
  headers: { authorization: `Api-Key ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    modelUri: `gpt://${process.env.YC_FOLDER_ID}/yandexgpt-lite/latest`,
    messages: [{ role: 'user', text: 'Name a colour' }],
  }),
});
if (!started.ok) throw new Error(`the start call failed: HTTP ${started.status}`);
const answer = (await started.json()) as object;

const client = new AsyncOperationsClient({ endpoint: process.env.YC_OPERATION_ENDPOINT });
try {
  const op = client.fromOperation<CompletionResponse>(answer);
  console.log(`took over ${op.id}: ${op.lastKnownStatus}`);
  const response = await op.wait({ pollInterval: 1 });
  console.log(response.alternatives.map((a) => a.message.text).join('\n'));
} finally {
  client.close();
}
