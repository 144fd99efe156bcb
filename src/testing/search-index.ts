/**
 * The assistants' search indexes as the emulator plays them: `POST /assistants/v1/searchIndex`
 * starts an operation whose response is the new index, and
 * `POST /assistants/v1/searchIndexFile:batchCreate` one whose response lists the files added.
 */
import { randomBytes } from 'node:crypto';
import { CREATED_BY } from './operations';
import type { StartRow } from './route';

const INDEX_TYPE = 'type.googleapis.com/yandex.cloud.ai.assistants.v1.searchindex.SearchIndex';
const FILES_TYPE = 'type.googleapis.com/yandex.cloud.ai.assistants.v1.searchindex.BatchCreateSearchIndexFileResponse';
/** The index type fields of a request; an index of none is a text index. */
const INDEX_TYPES = ['textSearchIndex', 'vectorSearchIndex', 'hybridSearchIndex'] as const;

function isIdList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((id) => typeof id === 'string' && id !== '');
}

export const CREATE_SEARCH_INDEX_ROW: StartRow = {
  path: '/assistants/v1/searchIndex',
  description: 'Create search index',
  respond(request, { nowMs }) {
    if (typeof request.folderId !== 'string' || request.folderId === '') return { invalid: 'folderId is required' };
    if (request.fileIds !== undefined && !isIdList(request.fileIds)) return { invalid: 'fileIds must be a list of file ids' };
    const at = timestampText(nowMs);
    const { folderId, name = '', description = '', labels = {}, expirationConfig } = request;
    const types = Object.fromEntries(INDEX_TYPES.filter((type) => request[type] !== undefined).map((type) => [type, request[type]]));
    return {
      response: {
        '@type': INDEX_TYPE,
        id: `fvt${randomBytes(9).toString('hex').slice(0, 17)}`,
        folderId,
        name,
        description,
        createdBy: CREATED_BY,
        createdAt: at,
        updatedBy: CREATED_BY,
        updatedAt: at,
        expirationConfig: expirationConfig ?? { expirationPolicy: 'SINCE_LAST_ACTIVE', ttlDays: '7' },
        labels,
        ...(Object.keys(types).length > 0 ? types : { textSearchIndex: {} }),
      },
    };
  },
};

export const ADD_SEARCH_INDEX_FILES_ROW: StartRow = {
  path: '/assistants/v1/searchIndexFile:batchCreate',
  description: 'Add files to search index',
  respond(request, { nowMs }) {
    const { searchIndexId, fileIds } = request;
    if (typeof searchIndexId !== 'string' || searchIndexId === '') return { invalid: 'searchIndexId is required' };
    if (!isIdList(fileIds) || fileIds.length === 0) return { invalid: 'fileIds must be a non-empty list of file ids' };
    const createdAt = timestampText(nowMs);
    return { response: { '@type': FILES_TYPE, files: fileIds.map((id) => ({ id, searchIndexId, createdBy: CREATED_BY, createdAt })) } };
  },
};

/** A time as the REST gateway writes a Timestamp (proto3 JSON): no fraction when it is whole seconds. */
function timestampText(nowMs: number): string {
  return new Date(nowMs).toISOString().replace('.000Z', 'Z');
}
