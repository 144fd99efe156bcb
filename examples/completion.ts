// A start helper in TypeScript: `completionAsync` returns an operation whose result is typed
// (`CompletionResponse`), so the text is read without a cast. Promise and blocking flavours.
// Run: YC_API_KEY=... YC_FOLDER_ID=... (compiled with tsc, or under Bun or Deno as it is)
import { AsyncOperationsClient, type CompletionRequest, type CompletionResponse, OperationsClient } from 'yc-operation';

const endpoint = process.env.YC_OPERATION_ENDPOINT;
const llm = process.env.YC_LLM_ENDPOINT;

const request: CompletionRequest = {
  modelUri: `gpt://${process.env.YC_FOLDER_ID}/yandexgpt-lite/latest`,
  completionOptions: { temperature: 0.3, maxTokens: '200' },
  messages: [
    { role: 'system', text: 'Answer in one sentence.' },
    { role: 'user', text: 'What is a long-running operation?' },
  ],
};

/** The first alternative's text: `response` is a `CompletionResponse`, no cast needed. */
function textOf(response: CompletionResponse): string {
  const [first] = response.alternatives;
  return first === undefined ? '' : first.message.text;
}

const client = new AsyncOperationsClient({ endpoint });
try {
  const op = await client.completionAsync(request, { endpoint: llm, timeout: 30 });
  console.log(`started ${op.id}`);
  const response = await op.wait({ pollInterval: 1, pollTimeout: 600 });
  console.log(`promise: ${textOf(response)} (${response.usage.totalTokens} tokens)`);
} finally {
  client.close();
}

const blocking = new OperationsClient({ endpoint });
try {
  const op = blocking.completionAsync(request, { endpoint: llm });
  const response: CompletionResponse = op.wait({ pollInterval: 1, pollTimeout: 600 });
  console.log(`blocking: ${textOf(response)} (model ${response.modelVersion})`);
} finally {
  blocking.close();
}
