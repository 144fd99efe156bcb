/**
 * AI Studio's image generation (`POST /foundationModels/v1/imageGenerationAsync` on the `llm`
 * endpoint, YandexART): the request, checked, and the response, with the image as bytes.
 */
import { base64Bytes, nonEmptyString, OPERATION_WAIT_DEFAULTS, type Producer, requestObject, responseObject } from './producer';

/** An image generation request (the body of `imageGenerationAsync`). */
export interface ImageGenerationRequest {
  /** The model, such as `art://<folder id>/yandex-art/latest`. */
  modelUri: string;
  /** The prompt: one or more texts, each with an optional weight. */
  messages: ReadonlyArray<{ text: string; weight?: number | string }>;
  /** As the API takes them: `mimeType`, `seed`, `aspectRatio: { widthRatio, heightRatio }`. */
  generationOptions?: Record<string, unknown>;
}

/** What an image generation's operation finishes with: the image decoded from base64. */
export interface ImageGenerationResponse {
  /** The image file's bytes (JPEG unless `generationOptions.mimeType` says otherwise). */
  image: Uint8Array;
  modelVersion: string;
}

function checkImageGenerationRequest(request: unknown): ImageGenerationRequest {
  const r = requestObject('an image generation request', request);
  nonEmptyString('image generation request', 'modelUri', r.modelUri);
  if (!Array.isArray(r.messages) || r.messages.length === 0)
    throw new TypeError('image generation request: messages must be a non-empty array');
  r.messages.forEach((m: { text?: unknown; weight?: unknown } | null, i) => {
    if (typeof m?.text !== 'string' || !['undefined', 'number', 'string'].includes(typeof m.weight)) {
      throw new TypeError(`image generation request: messages[${i}] must be { text, weight? } with a string text`);
    }
  });
  if (r.generationOptions !== undefined) requestObject('image generation request: generationOptions', r.generationOptions);
  return r as unknown as ImageGenerationRequest;
}

/** The row of `imageGenerationAsync` (Python: `sdk.models.image_generation(...).run_deferred(messages)`). */
export const IMAGE_GENERATION: Producer<ImageGenerationRequest, ImageGenerationResponse> = {
  method: 'imageGenerationAsync',
  endpoint: 'llm',
  path: '/foundationModels/v1/imageGenerationAsync',
  check: checkImageGenerationRequest,
  decoder: () => (response) => {
    const r = responseObject('image generation', response);
    return { image: base64Bytes('image generation', 'image', r.image), modelVersion: String(r.modelVersion ?? '') };
  },
  ...OPERATION_WAIT_DEFAULTS,
};
