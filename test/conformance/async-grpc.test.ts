/** The conformance table (test/conformance/table.ts) on the async flavour over grpc path. */
import { openClientPath } from './paths/client';
import { runTable } from './run';

runTable('async-grpc', () => openClientPath('async-grpc'), { concurrent: false });
