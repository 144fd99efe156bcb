/**
 * AI Studio's deferred completion (`POST /foundationModels/v1/completionAsync` on the `llm`
 * endpoint): the request as users give it, checked, and the response its operation finishes with.
 */
import { typeName } from './options';

/** The path of the call that starts a deferred completion. */
export const COMPLETION_PATH = '/foundationModels/v1/completionAsync';

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
  const r = request as Partial<CompletionRequest> | null;
  if (r === null || typeof r !== 'object') throw new TypeError(`a completion request must be an object, got ${typeName(request)}`);
  if (typeof r.modelUri !== 'string' || r.modelUri === '') throw new TypeError('completion request: modelUri must be a non-empty string');
  if (!Array.isArray(r.messages) || r.messages.length === 0) throw new TypeError('completion request: messages must be a non-empty array');
  r.messages.forEach((m, i) => {
    if (typeof m?.role !== 'string' || typeof m?.text !== 'string') {
      throw new TypeError(`completion request: messages[${i}] must be { role, text } with strings`);
    }
  });
  return r as CompletionRequest;
}
