/** The conformance table (test/conformance/table.ts) on the async flavour over rest path. */
import { openClientPath } from './paths/client';
import { runTable } from './run';

runTable('async-rest', () => openClientPath('async-rest'), { concurrent: true });
