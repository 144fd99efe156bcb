/** Where a deferred completion's start call goes, and its bound: checked once for both flavours. */
import { checkCompletionRequest, COMPLETION_PATH, type CompletionRequest } from '../core/completion';
import { checkOptions, DEFAULT_CALL_TIMEOUT_S, secondsToMs } from '../core/options';
import { resolveEndpoint } from './config';

export function planCompletion(
  request: CompletionRequest,
  options: { endpoint?: string; timeout?: number; signal?: AbortSignal } | undefined,
  allowInsecureHttp: boolean,
  known: readonly string[] = ['endpoint', 'timeout', 'signal'],
) {
  checkCompletionRequest(request);
  const o = checkOptions('completionAsync', options, known);
  return {
    url: resolveEndpoint(o.endpoint ?? 'llm', allowInsecureHttp) + COMPLETION_PATH,
    timeoutMs: secondsToMs('timeout', o.timeout, DEFAULT_CALL_TIMEOUT_S),
  };
}
