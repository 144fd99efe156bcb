/**
 * YandexART's image generation (`POST /foundationModels/v1/imageGenerationAsync`) as the emulator
 * plays it: the image is the PNG signature followed by the prompt's text, base64 in the JSON.
 */
import { isObject, type StartRow } from './route';

const RESPONSE_TYPE = 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.image_generation.ImageGenerationResponse';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const IMAGE_GENERATION_ROW: StartRow = {
  path: '/foundationModels/v1/imageGenerationAsync',
  description: 'Image generation',
  respond(request) {
    if (typeof request.modelUri !== 'string' || request.modelUri === '') return { invalid: 'modelUri is required' };
    const { messages } = request;
    if (!Array.isArray(messages) || messages.length === 0 || !messages.every((m) => isObject(m) && typeof m.text === 'string')) {
      return { invalid: 'messages must be a non-empty list of {text, weight}' };
    }
    const prompt = Buffer.from(messages.map((m) => (m as { text: string }).text).join('\n'), 'utf8');
    return { response: { '@type': RESPONSE_TYPE, image: Buffer.concat([PNG_SIGNATURE, prompt]).toString('base64'), modelVersion: '2.0' } };
  },
};
