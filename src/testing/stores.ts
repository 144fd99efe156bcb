/**
 * The emulator's state, which its two servers (`server.ts`, `grpc-server.ts`) share: one state,
 * two protocols.
 */
import type { BatchTask } from './batch-inference';
import { DatasetStore } from './datasets';
import { OperationStore } from './operations';
import { RunStore } from './runs';
import { TaskStore } from './tasks';
import type { TuningTask } from './tuning';

/** Every store of one emulator. */
export class EmulatorStores {
  readonly operations = new OperationStore();
  readonly runs = new RunStore();
  readonly datasets = new DatasetStore();
  readonly tunings = new TaskStore<TuningTask>();
  readonly batches = new TaskStore<BatchTask>();
}
