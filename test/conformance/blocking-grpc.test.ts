/** The conformance table (test/conformance/table.ts) on the blocking flavour over grpc path. */
import { openClientPath } from './paths/client';
import { runTable } from './run';

runTable('blocking-grpc', () => openClientPath('blocking-grpc'), { concurrent: false });
