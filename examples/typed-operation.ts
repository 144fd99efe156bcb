// `operation<T, M>()`: wait on an operation you know by its id, with its result type `T` and
// its metadata type `M` given once, so `wait()` returns a `T` and each status's `metadata` is an `M`.
// Run: YC_API_KEY=... node typed-operation.js <operation id>
import { AsyncOperationsClient, type OperationStatus, OperationsClient, RunError } from 'yc-operation';

/** What this operation finishes with (its response JSON, `@type` included). */
interface Report {
  '@type': string;
  text: string;
}

/** What this operation reports while it runs. */
interface Progress {
  percent: number;
}

const id = process.argv[2] ?? process.env.YC_OPERATION_ID;
if (!id) throw new Error('usage: typed-operation <operation id> (or set YC_OPERATION_ID)');
const endpoint = process.env.YC_OPERATION_ENDPOINT;

const show = (status: OperationStatus<Progress>): void => {
  // `metadata` is `Progress | null`: null until the operation reports some.
  if (status.metadata !== null) console.log(`${status.statusName}: ${status.metadata.percent}%`);
};

const client = new AsyncOperationsClient({ endpoint });
const blocking = new OperationsClient({ endpoint });
try {
  const op = client.operation<Report, Progress>(id);
  const report = await op.wait({ pollInterval: 0.5, onProgress: show });
  console.log(`promise: ${report.text}`);

  // The same with a blocking call, and decoders that check what the server sent.
  const checked = blocking.operation(id, {
    resultDecoder: (response): string => {
      const { text } = response as Partial<Report>;
      if (typeof text !== 'string') throw new TypeError('the response has no text');
      return text;
    },
    metadataDecoder: (metadata): Progress => ({ percent: Number((metadata as Partial<Progress>).percent ?? 0) }),
  });
  const text: string = checked.wait({ pollInterval: 0.5 });
  console.log(`blocking: ${text} (${checked.getStatus().statusName})`);
} catch (error) {
  // A failed operation: its code and message, as the server sent them.
  if (!(error instanceof RunError)) throw error;
  console.log(`failed: ${error.errorMessage} (code ${error.code})`);
  process.exitCode = 1;
} finally {
  client.close();
  blocking.close();
}
