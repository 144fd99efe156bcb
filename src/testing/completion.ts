/**
 * AI Studio's deferred completion (`POST /foundationModels/v1/completionAsync`) as the emulator
 * plays it: the request becomes an operation that finishes with a completion that echoes the
 * last user message.
 */
import { isObject, type StartRow } from './route';

const RESPONSE_TYPE = 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse';
const MODEL_VERSION = '23.10.2024';

interface Message {
  role: string;
  text: string;
}

export const COMPLETION_ROW: StartRow = {
  path: '/foundationModels/v1/completionAsync',
  description: 'Async GPT Completion',
  respond(request) {
    if (typeof request.modelUri !== 'string' || request.modelUri === '') return { invalid: 'modelUri is required' };
    if (request.completionOptions !== undefined && !isObject(request.completionOptions)) {
      return { invalid: 'completionOptions must be an object' };
    }
    const { messages } = request;
    if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isMessage)) {
      return { invalid: 'messages must be a non-empty list of {role, text}' };
    }
    return { response: completionResponse(messages) };
  },
};

function completionResponse(messages: readonly Message[]): unknown {
  const text = messages.filter((message) => message.role === 'user').at(-1)?.text ?? '';
  const inputTokens = messages.reduce((sum, message) => sum + countWords(message.text), 0);
  const completionTokens = countWords(text);
  return {
    '@type': RESPONSE_TYPE,
    alternatives: [{ message: { role: 'assistant', text }, status: 'ALTERNATIVE_STATUS_FINAL' }],
    usage: {
      inputTextTokens: String(inputTokens),
      completionTokens: String(completionTokens),
      totalTokens: String(inputTokens + completionTokens),
    },
    modelVersion: MODEL_VERSION,
  };
}

/** Stands in for a tokenizer: one token per word. */
function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function isMessage(value: unknown): value is Message {
  return isObject(value) && typeof value.role === 'string' && typeof value.text === 'string';
}
