/**
 * AI Studio's deferred completion (`POST /foundationModels/v1/completionAsync` on the `llm`
 * endpoint): the request as users give it, checked, and the response its operation finishes with.
 */
import { nonEmptyString, OPERATION_WAIT_DEFAULTS, type Producer, requestObject } from './producer';

/** A deferred completion request (the body of `completionAsync`). */
export interface CompletionRequest {
  /** The model, such as `gpt://<folder id>/yandexgpt-lite/latest`. */
  modelUri: string;
  /** Generation options as the API takes them (`temperature`, `maxTokens`, ...). */
  completionOptions?: Record<string, unknown>;
  messages: ReadonlyArray<{ role: 'system' | 'user' | 'assistant'; text: string }>;
}

/** The response a deferred completion's operation finishes with. */
export interface CompletionResponse {
  '@type'?: string;
  alternatives: Array<{ message: { role: string; text: string }; status: string }>;
  usage: { inputTextTokens: string; completionTokens: string; totalTokens: string };
  modelVersion: string;
}

/** Returns `request` when it has the shape the API takes; throws a TypeError naming the field. */
export function checkCompletionRequest(request: unknown): CompletionRequest {
  const r = requestObject('a completion request', request);
  nonEmptyString('completion request', 'modelUri', r.modelUri);
  if (!Array.isArray(r.messages) || r.messages.length === 0) throw new TypeError('completion request: messages must be a non-empty array');
  r.messages.forEach((m: { role?: unknown; text?: unknown } | null, i) => {
    if (typeof m?.role !== 'string' || typeof m?.text !== 'string') {
      throw new TypeError(`completion request: messages[${i}] must be { role, text } with strings`);
    }
  });
  return r as unknown as CompletionRequest;
}

/** The row of `completionAsync` (Python: `model.run_deferred(messages)`). */
export const COMPLETION: Producer<CompletionRequest, CompletionResponse> = {
  method: 'completionAsync',
  endpoint: 'llm',
  path: '/foundationModels/v1/completionAsync',
  check: checkCompletionRequest,
  decoder: () => (response) => response as CompletionResponse,
  ...OPERATION_WAIT_DEFAULTS,
};
