/** Where an assistant run is tracked (`GET /assistants/v1/runs/{id}`): checked once for both flavours. */
import { ASSISTANT_RUN_KIND, RUN_PATH } from '../core/assistant-run';
import { checkOperationId, checkOptions } from '../core/options';
import { resolveEndpoint } from '../transport/config';

/** Options of `client.run()`. */
export interface RunOptions {
  /** Where the run is fetched: a base URL or a short name. @default 'rest-assistant' */
  endpoint?: string;
}

/** The run's checked id, its URL and its kind. */
export function planRun(id: string, options: RunOptions | undefined, allowInsecureHttp: boolean) {
  const runId = checkOperationId(id);
  const o = checkOptions('run', options, ['endpoint']);
  return {
    id: runId,
    url: resolveEndpoint(o.endpoint ?? 'rest-assistant', allowInsecureHttp) + RUN_PATH + encodeURIComponent(runId),
    kind: ASSISTANT_RUN_KIND,
  };
}
