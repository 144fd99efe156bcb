/**
 * AI Studio's deferred completion (`POST /foundationModels/v1/completionAsync`) as the emulator
 * plays it: the request becomes an operation that finishes after a while with a completion
 * that echoes the last user message.
 */
import type { OperationScript } from './script';

/** The request header that sets, in seconds, when the completion is done (default 1 s). */
export const DONE_AFTER_HEADER = 'x-emulator-done-after';

const DEFAULT_DONE_AFTER = 1;
const DESCRIPTION = 'Async GPT Completion';
const RESPONSE_TYPE = 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse';
const MODEL_VERSION = '23.10.2024';

interface Message {
  role: string;
  text: string;
}

/** The script of a completion's operation, or why the request is invalid (a 400, code 3). */
export type CompletionPlan = { script: OperationScript } | { invalid: string };

/**
 * Reads a completionAsync request: a JSON body `{modelUri, completionOptions?, messages: [{role, text}]}`
 * and the optional {@link DONE_AFTER_HEADER}.
 */
export function planCompletion(body: string, doneAfterHeader: string | undefined): CompletionPlan {
  const doneAfter = doneAfterHeader === undefined ? DEFAULT_DONE_AFTER : Number(doneAfterHeader);
  if (doneAfterHeader?.trim() === '' || !Number.isFinite(doneAfter) || doneAfter < 0) {
    return { invalid: `${DONE_AFTER_HEADER} must be a number of seconds >= 0` };
  }
  const request = parseJson(body);
  if (!isObject(request)) return { invalid: 'The request body must be a JSON object' };
  if (typeof request.modelUri !== 'string' || request.modelUri === '') return { invalid: 'modelUri is required' };
  if (request.completionOptions !== undefined && !isObject(request.completionOptions)) {
    return { invalid: 'completionOptions must be an object' };
  }
  const { messages } = request;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isMessage)) {
    return { invalid: 'messages must be a non-empty list of {role, text}' };
  }
  return { script: { description: DESCRIPTION, doneAfter, response: completionResponse(messages) } };
}

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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMessage(value: unknown): value is Message {
  return isObject(value) && typeof value.role === 'string' && typeof value.text === 'string';
}
