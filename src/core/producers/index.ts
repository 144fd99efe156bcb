/**
 * The table of producers: every call that starts an operation, one row each. The clients' start
 * helpers are one line per row over one shared plan (`src/transport/start.ts`). The gRPC-only
 * rows of the Python SDK (dataset validation, tuning, batch inference) join this table as rows
 * whose start call goes through the gRPC transport.
 */
import { COMPLETION } from './completion';
import { IMAGE_GENERATION } from './image-generation';
import { ADD_SEARCH_INDEX_FILES, CREATE_SEARCH_INDEX } from './search-index';
import { WEB_SEARCH } from './web-search';

export const PRODUCERS = {
  completion: COMPLETION,
  imageGeneration: IMAGE_GENERATION,
  webSearch: WEB_SEARCH,
  createSearchIndex: CREATE_SEARCH_INDEX,
  addSearchIndexFiles: ADD_SEARCH_INDEX_FILES,
} as const;

export type { Producer } from './producer';
export type { CompletionRequest, CompletionResponse } from './completion';
export type { ImageGenerationRequest, ImageGenerationResponse } from './image-generation';
export type { ParsedWebSearchResponse, WebSearchRequest, WebSearchResponse } from './web-search';
export type { SearchIndex, SearchIndexFile, SearchIndexFilesRequest, SearchIndexRequest } from './search-index';
