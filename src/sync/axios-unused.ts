/**
 * Stands in, in the worker's bundle only, for the parts of axios the SDK never uses there: axios's
 * own http adapter (the SDK's requests go through `src/transport/http-adapter.ts`) and the
 * `form-data` package (the SDK never sends a multipart body). Leaving them out saves the worker
 * loading follow-redirects, https-proxy-agent, proxy-from-env, http2, zlib and mime-db at boot.
 */
export default undefined;
