/**
 * Yandex Search API's deferred web search (`POST /v2/web/searchAsync` on the `searchapi`
 * endpoint): the request, checked, and the response, its `rawData` decoded from base64 to bytes,
 * and to text when asked (`parse: true`).
 */
import { base64Bytes, nonEmptyString, OPERATION_WAIT_DEFAULTS, type Producer, requestObject, responseObject } from './producer';

/** A web search request (the body of `webSearchAsync`), as the API takes it. */
export interface WebSearchRequest {
  query: {
    /** `SEARCH_TYPE_RU`, `SEARCH_TYPE_TR`, `SEARCH_TYPE_COM`, `SEARCH_TYPE_KK`, `SEARCH_TYPE_BE`, `SEARCH_TYPE_UZ`. */
    searchType: string;
    queryText: string;
    familyMode?: string;
    page?: string | number;
    fixTypoMode?: string;
  };
  sortSpec?: Record<string, unknown>;
  groupSpec?: Record<string, unknown>;
  maxPassages?: string | number;
  region?: string;
  l10n?: string;
  /** @default the client's `folderId` */
  folderId?: string;
  /** `FORMAT_XML` (the API's default) or `FORMAT_HTML`. */
  responseFormat?: 'FORMAT_XML' | 'FORMAT_HTML';
  userAgent?: string;
  metadata?: Record<string, string>;
}

/** What a web search's operation finishes with: the search results page, as bytes. */
export interface WebSearchResponse {
  /** The XML (or HTML, with `responseFormat: 'FORMAT_HTML'`) document, decoded from base64. */
  rawData: Uint8Array;
}

/** A web search's result with `parse: true`: the bytes, and the document as text (UTF-8). */
export interface ParsedWebSearchResponse extends WebSearchResponse {
  /** The XML or HTML document. */
  text: string;
}

function checkWebSearchRequest(request: unknown): WebSearchRequest {
  const r = requestObject('a web search request', request);
  const query = requestObject('web search request: query', r.query);
  nonEmptyString('web search request', 'query.queryText', query.queryText);
  nonEmptyString('web search request', 'query.searchType', query.searchType);
  if (r.responseFormat !== undefined && r.responseFormat !== 'FORMAT_XML' && r.responseFormat !== 'FORMAT_HTML') {
    throw new TypeError('web search request: responseFormat must be "FORMAT_XML" or "FORMAT_HTML"');
  }
  return r as unknown as WebSearchRequest;
}

function decodeWebSearch(response: unknown): WebSearchResponse {
  return { rawData: base64Bytes('web search', 'rawData', responseObject('web search', response).rawData) };
}

/**
 * The row of `webSearchAsync` (Python: `sdk.search_api.web(search_type).run_deferred(query)`);
 * its `parse` option gives the document as text too.
 */
export const WEB_SEARCH: Producer<WebSearchRequest, WebSearchResponse | ParsedWebSearchResponse> = {
  method: 'webSearchAsync',
  endpoint: 'searchapi',
  path: '/v2/web/searchAsync',
  folderField: 'folderId',
  options: ['parse'],
  check: checkWebSearchRequest,
  decoder: ({ parse }) => {
    if (parse !== undefined && typeof parse !== 'boolean') throw new TypeError('webSearchAsync: parse must be a boolean');
    if (!parse) return decodeWebSearch;
    return (response) => {
      const { rawData } = decodeWebSearch(response);
      return { rawData, text: new TextDecoder().decode(rawData) };
    };
  },
  ...OPERATION_WAIT_DEFAULTS,
};
