/** The conformance table (test/conformance/table.ts) on the blocking flavour over rest path. */
import { openClientPath } from './paths/client';
import { runTable } from './run';

runTable('blocking-rest', () => openClientPath('blocking-rest'), { concurrent: false });
