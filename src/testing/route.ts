/**
 * What the emulator's route modules share: the shape of a route and of one exchange, and reading a
 * request's body. The server (`server.ts`) matches routes; each module plays its calls.
 */
import type { IncomingMessage } from 'node:http';
import type { Reply } from './reply';
import type { RecordedRequest } from './script';
import type { StartCall } from './start';

/** What a route's handler gets: the request, its reply, its log entry and the path's captures. */
export interface Exchange {
  req: IncomingMessage;
  reply: Reply;
  entry: RecordedRequest;
  params: readonly string[];
}

export type Handler = (exchange: Exchange) => Promise<void> | void;

export interface Route {
  pattern: RegExp;
  methods: Readonly<Record<string, Handler>>;
}

/** One REST start call: its path (a POST), and what a valid request body starts. */
export interface StartRow extends StartCall {
  path: string;
}

/** The pattern of exactly this path (no captures). */
export function exactPath(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The whole request body, as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON object of a body, or `undefined` when it is not one. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The percent-decoded path segment, or `null` when its encoding is malformed. */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
