/**
 * The Search API's deferred web search (`POST /v2/web/searchAsync`) as the emulator plays it: one
 * result page, in XML (or HTML with `responseFormat: FORMAT_HTML`) that names the query, base64
 * in the JSON's `rawData`.
 */
import { isObject, type StartRow } from './route';

const RESPONSE_TYPE = 'type.googleapis.com/yandex.cloud.searchapi.v2.WebSearchResponse';

export const WEB_SEARCH_ROW: StartRow = {
  path: '/v2/web/searchAsync',
  description: 'Web search',
  respond(request) {
    const { query } = request;
    if (!isObject(query) || typeof query.queryText !== 'string' || query.queryText === '')
      return { invalid: 'query.queryText is required' };
    if (typeof request.folderId !== 'string' || request.folderId === '') return { invalid: 'folderId is required' };
    const text = escapeXml(query.queryText);
    const page =
      request.responseFormat === 'FORMAT_HTML'
        ? `<!DOCTYPE html><html><head><title>${text}</title></head><body><ol><li><a href="https://example.com/">${text}</a></li></ol></body></html>`
        : `<?xml version="1.0" encoding="utf-8"?><yandexsearch version="1.0"><request><query>${text}</query></request><response><results><grouping><group><doc><url>https://example.com/</url><title>${text}</title></doc></group></grouping></results></response></yandexsearch>`;
    return { response: { '@type': RESPONSE_TYPE, rawData: Buffer.from(page, 'utf8').toString('base64') } };
  },
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
