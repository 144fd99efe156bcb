/**
 * The demo's third part: the start helpers, one line per operation kind. Each starts its call on
 * the emulator, waits, and tells what the typed result holds (an image as bytes, a search page as
 * bytes and text, a search index, an assistant run that is not an Operation, a validated dataset,
 * a tuned model, a batch task's result dataset: the last three over the emulator's gRPC side).
 */
import type { AsyncOperationsClient } from 'yc-operation';
import type { Emulator } from 'yc-operation/testing';
import { scaled, startHeaders } from './time-scale';

/** The promise flavour polls each kind at this interval, in seconds. */
const POLL_INTERVAL = scaled(0.25);
/** The demo clients' folder (`folderId`), filled into the requests that name one. */
const FOLDER = 'b1gdemo';

type Print = (kind: string, text: string) => void;

/** Starts one operation of each kind, waits on it, and prints what its result holds. */
export async function showProducers(client: AsyncOperationsClient, emulator: Emulator, apiKey: string, print: Print): Promise<void> {
  const endpoint = emulator.url;
  const wait = { pollInterval: POLL_INTERVAL };

  const completion = await client.completionAsync(
    { modelUri: `gpt://${FOLDER}/yandexgpt-lite/latest`, messages: [{ role: 'user', text: 'Hello, queue' }] },
    { endpoint },
  );
  print('completionAsync', `wait() returned the completion "${(await completion.wait(wait)).alternatives[0]?.message.text}"`);

  const image = await client.imageGenerationAsync(
    { modelUri: `art://${FOLDER}/yandex-art/latest`, messages: [{ text: 'a lighthouse at dusk' }] },
    { endpoint },
  );
  const { image: bytes } = await image.wait(wait);
  print('imageGenerationAsync', `wait() returned a ${bytes.length}-byte image (a Uint8Array, decoded from base64)`);

  const search = await client.webSearchAsync(
    { query: { searchType: 'SEARCH_TYPE_COM', queryText: 'long-running operations' } },
    { endpoint, parse: true },
  );
  const page = await search.wait(wait);
  print(
    'webSearchAsync',
    `wait() returned ${page.rawData.length} bytes of XML; with parse: true also as text: ${page.text.slice(0, 38)}...`,
  );

  const index = await client.createSearchIndex({ name: 'manuals', fileIds: ['fvtfile1'] }, { endpoint });
  const created = await index.wait(wait);
  print('createSearchIndex', `wait() returned search index ${created.id} "${created.name}"`);

  const started = await fetch(`${endpoint}/assistants/v1/runs`, {
    method: 'POST',
    headers: { authorization: `Api-Key ${apiKey}`, ...startHeaders() },
    body: JSON.stringify({ assistantId: 'fvtdemoassistant', threadId: 'fvtdemothread' }),
  });
  const run = client.run(((await started.json()) as { id: string }).id, { endpoint });
  const states: string[] = [];
  await run.wait({ pollInterval: POLL_INTERVAL, onProgress: (status) => states.push(status.state) });
  const refused = await run.cancel().then(
    () => 'nothing',
    (error: Error) => error.name,
  );
  print('run (assistant)', `not an Operation, its own status kind: ${[...new Set(states)].join(' → ')}; cancel() threw ${refused}`);

  // The gRPC-only services, called over gRPC by this REST client; their operations polled over REST.
  const grpc = emulator.grpcUrl as string;
  const validation = await client.validateDataset({ datasetId: 'fdsdemodataset' }, { endpoint: grpc });
  const dataset = await validation.wait(wait);
  print('validateDataset', `DatasetService over gRPC; wait() returned dataset ${dataset.datasetId}, now ${dataset.status}`);

  const tuning = await client.tune(
    { baseModelUri: `gpt://${FOLDER}/yandexgpt-lite/latest`, trainDatasets: [{ datasetId: dataset.datasetId, weight: 1 }] },
    { endpoint: grpc },
  );
  const tuned = await tuning.wait(wait);
  print('tune', `TuningService over gRPC, a status kind of its own (${tuning.lastKnownStatus?.state}); wait() returned model ${tuned.uri}`);

  const batch = await client.completionBatch(
    { modelUri: `gpt://${FOLDER}/yandexgpt-lite/latest`, sourceDatasetId: dataset.datasetId },
    { endpoint, serviceEndpoint: grpc },
  );
  const batchStates: string[] = [];
  const answers = await batch.wait({ ...wait, onProgress: (status) => batchStates.push(status.state) });
  print(
    'completionBatch',
    `a batch task on BatchInferenceService: ${[...new Set(batchStates)].join(' → ')}; wait() returned result dataset ${answers.datasetId}`,
  );
}
