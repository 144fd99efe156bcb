/**
 * AI Studio assistants' search indexes (the `rest-assistant` endpoint): creating one
 * (`POST /assistants/v1/searchIndex`) and adding files to one
 * (`POST /assistants/v1/searchIndexFile:batchCreate`). Each starts an operation.
 */
import { WireDecodeError } from '../errors';
import { nonEmptyString, OPERATION_WAIT_DEFAULTS, type Producer, requestObject, responseObject, stringList } from './producer';

/** A search index creation request (the body of `createSearchIndex`), as the API takes it. */
export interface SearchIndexRequest {
  /** @default the client's `folderId` */
  folderId?: string;
  /** The files to index (ids of uploaded files). */
  fileIds?: readonly string[];
  name?: string;
  description?: string;
  labels?: Record<string, string>;
  expirationConfig?: { expirationPolicy?: string; ttlDays?: string | number };
  /** One of the three index types, as the API takes it. */
  textSearchIndex?: Record<string, unknown>;
  vectorSearchIndex?: Record<string, unknown>;
  hybridSearchIndex?: Record<string, unknown>;
}

/** A search index, as the service describes it. */
export interface SearchIndex {
  '@type'?: string;
  id: string;
  folderId: string;
  name?: string;
  description?: string;
  createdBy?: string;
  createdAt?: string;
  updatedBy?: string;
  updatedAt?: string;
  expirationConfig?: { expirationPolicy?: string; ttlDays?: string };
  expiresAt?: string;
  labels?: Record<string, string>;
  textSearchIndex?: Record<string, unknown>;
  vectorSearchIndex?: Record<string, unknown>;
  hybridSearchIndex?: Record<string, unknown>;
}

/** The request of `addSearchIndexFiles`: the index, and the files to add to it. */
export interface SearchIndexFilesRequest {
  searchIndexId: string;
  fileIds: readonly string[];
}

/** A file of a search index (`id` is the file's id). */
export interface SearchIndexFile {
  id: string;
  searchIndexId: string;
  createdBy?: string;
  createdAt?: string;
}

function checkSearchIndexRequest(request: unknown): SearchIndexRequest {
  const r = requestObject('a search index request', request);
  stringList('search index request', 'fileIds', r.fileIds);
  return r as SearchIndexRequest;
}

function checkSearchIndexFilesRequest(request: unknown): SearchIndexFilesRequest {
  const r = requestObject('a search index files request', request);
  nonEmptyString('search index files request', 'searchIndexId', r.searchIndexId);
  stringList('search index files request', 'fileIds', r.fileIds, true);
  return r as unknown as SearchIndexFilesRequest;
}

/** The row of `createSearchIndex` (Python: `sdk.search_indexes.create_deferred(files, index_type=...)`). */
export const CREATE_SEARCH_INDEX: Producer<SearchIndexRequest, SearchIndex> = {
  method: 'createSearchIndex',
  endpoint: 'rest-assistant',
  path: '/assistants/v1/searchIndex',
  folderField: 'folderId',
  check: checkSearchIndexRequest,
  decoder: () => (response) => responseObject('search index', response) as unknown as SearchIndex,
  ...OPERATION_WAIT_DEFAULTS,
};

/** The row of `addSearchIndexFiles` (Python: `search_index.add_files_deferred(files)`); the result is the files. */
export const ADD_SEARCH_INDEX_FILES: Producer<SearchIndexFilesRequest, SearchIndexFile[]> = {
  method: 'addSearchIndexFiles',
  endpoint: 'rest-assistant',
  path: '/assistants/v1/searchIndexFile:batchCreate',
  check: checkSearchIndexFilesRequest,
  decoder: () => (response) => {
    const { files } = responseObject('search index files', response);
    if (!Array.isArray(files)) throw new WireDecodeError('the search index files operation\'s response has no "files" list');
    return files as SearchIndexFile[];
  },
  ...OPERATION_WAIT_DEFAULTS,
};
