/** Where a deferred completion's start call goes, and its bound: checked once for both flavours. */
import { checkCompletionRequest, COMPLETION_PATH, type CompletionRequest } from '../core/completion';
import { WireDecodeError } from '../core/errors';
import { checkOptions, DEFAULT_CALL_TIMEOUT_S, secondsToMs, typeName } from '../core/options';
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

/** The start call's answer, when it is an Operation JSON with an id; a server fault otherwise. */
export function checkStartAnswer(wire: unknown): object {
  const id = (wire as { id?: unknown } | null)?.id;
  if (wire === null || typeof wire !== 'object' || typeof id !== 'string') {
    throw new WireDecodeError(`the start call did not answer an Operation with an id (got ${typeName(wire)}${typeof wire === 'object' && wire !== null ? ` whose id is ${typeName(id)}` : ''})`);
  }
  return wire;
}
