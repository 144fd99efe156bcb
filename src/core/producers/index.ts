/**
 * The table of producers: every call that starts an operation, one row each. The start helpers
 * of both clients are one line per row, written once, over one shared
 * plan (`src/client/start.ts`). The rows of the services with no REST route (dataset validation,
 * tuning) start over gRPC, whatever the client's protocol.
 */

import { COMPLETION_BATCH } from './batch-completion';
import { COMPLETION } from './completion';
import { VALIDATE_DATASET } from './dataset-validation';
import { IMAGE_GENERATION } from './image-generation';
import { ADD_SEARCH_INDEX_FILES, CREATE_SEARCH_INDEX } from './search-index';
import { TUNE } from './tuning';
import { WEB_SEARCH } from './web-search';

export const PRODUCERS = {
  completion: COMPLETION,
  imageGeneration: IMAGE_GENERATION,
  webSearch: WEB_SEARCH,
  createSearchIndex: CREATE_SEARCH_INDEX,
  addSearchIndexFiles: ADD_SEARCH_INDEX_FILES,
  validateDataset: VALIDATE_DATASET,
} as const;

/** The start calls whose operation is a kind of its own (a tuning, a batch task), not an Operation API one. */
export const STARTS = { tune: TUNE, completionBatch: COMPLETION_BATCH } as const;

export type { BatchCompletionRequest } from './batch-completion';
export { batchTaskIdOf } from './batch-completion';
export type { CompletionRequest, CompletionResponse } from './completion';
export type { ValidateDatasetRequest } from './dataset-validation';
export type { ImageGenerationRequest, ImageGenerationResponse } from './image-generation';
export type { Producer, StartRoute } from './producer';
export type { SearchIndex, SearchIndexFile, SearchIndexFilesRequest, SearchIndexRequest } from './search-index';
export type { ParsedWebSearchResponse, WebSearchRequest, WebSearchResponse } from './web-search';
