/**
 * The gRPC methods the emulator serves on its state, as one routing table by path: the
 * operations (`grpc-operations.ts`), datasets (`datasets.ts`), tuning (`tuning.ts`) and batch
 * inference (`batch-inference.ts`). Any other path is UNIMPLEMENTED.
 */
import { batchInferenceMethods } from './batch-inference';
import { datasetMethods } from './datasets';
import type { GrpcRoutes } from './grpc-method';
import { operationMethods } from './grpc-operations';
import type { EmulatorStores } from './stores';
import { tuningMethods } from './tuning';

/** Every gRPC method on `stores`, by path. */
export function grpcRoutes(stores: EmulatorStores): GrpcRoutes {
  return {
    ...operationMethods(stores.operations),
    ...datasetMethods(stores.datasets, stores.operations),
    ...tuningMethods(stores.tunings, stores.operations),
    ...batchInferenceMethods(stores.batches),
  };
}
