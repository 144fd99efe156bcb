// The quick start (CommonJS): the same as quick-start.mjs, with require() and no top-level await.
// Run: YC_API_KEY=... YC_FOLDER_ID=... node examples/quick-start.cjs
const { AsyncOperationsClient, OperationsClient, RunError } = require('yc-operation');

const endpoint = process.env.YC_OPERATION_ENDPOINT;
const start = { endpoint: process.env.YC_LLM_ENDPOINT };
const request = {
  modelUri: `gpt://${process.env.YC_FOLDER_ID}/yandexgpt-lite/latest`,
  messages: [{ role: 'user', text: 'Say hello' }],
};

async function main() {
  const client = new AsyncOperationsClient({ endpoint });
  try {
    const op = await client.completionAsync(request, start);
    const result = await op.wait({ pollInterval: 1 });
    console.log(`promise: ${result.alternatives[0].message.text}`);
  } finally {
    client.close();
  }

  const blocking = new OperationsClient({ endpoint });
  try {
    const answer = blocking.completionAsync(request, start).wait({ pollInterval: 1 });
    console.log(`blocking: ${answer.alternatives[0].message.text}`);
  } catch (error) {
    // A failed operation is a RunError, with the operation's id, code and message.
    if (!(error instanceof RunError)) throw error;
    console.error(`operation ${error.operationId} failed: ${error.errorMessage} (code ${error.code})`);
    process.exitCode = 1;
  } finally {
    blocking.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
