/**
 * The two ids of a logical call (`x-client-request-id` and `idempotency-key`, docs/wire.md): random
 * UUIDs (version 4), both written from one block of 32 random bytes into one buffer and read out
 * as two flat strings. Node's `crypto.randomUUID` builds each id by concatenating 20 pieces (about
 * 0.6 KB of string garbage an id); this makes 0.1 KB for both. The random bytes come from
 * `crypto.randomFillSync`, a pool of them at a time (node:crypto loads at the first call).
 */
import type * as Crypto from 'node:crypto';
import { loadAtFirstUse } from './load';

/** The ids of one call. */
export interface CallIds {
  readonly clientRequestId: string;
  readonly idempotencyKey: string;
}

/** Random bytes drawn at a time: the ids of 128 calls. */
const POOL_BYTES = 4096;
const UUID_LENGTH = 36;
/** Each byte's two hex digits, as char codes: byte `b` at `2 * b` and `2 * b + 1`. */
const HEX = Uint8Array.from({ length: 512 }, (_, i) => '0123456789abcdef'.charCodeAt(i % 2 === 0 ? i >> 5 : (i >> 1) & 15));
const DASH = 0x2d;

let fill: ((buffer: Buffer) => Buffer) | null = null;
let pool: Buffer | null = null;
let used = POOL_BYTES;
/** Both ids' text, one after the other. */
let text: Buffer | null = null;

/** Two new random UUIDs for a call. */
export function callIds(): CallIds {
  if (used === POOL_BYTES) {
    fill ??= loadAtFirstUse<typeof Crypto>('node:crypto').randomFillSync;
    pool = fill(pool ?? Buffer.allocUnsafe(POOL_BYTES));
    text ??= Buffer.allocUnsafe(2 * UUID_LENGTH);
    used = 0;
  }
  writeUuid(pool!, used, text!, 0);
  writeUuid(pool!, used + 16, text!, UUID_LENGTH);
  used += 32;
  return {
    clientRequestId: text!.toString('latin1', 0, UUID_LENGTH),
    idempotencyKey: text!.toString('latin1', UUID_LENGTH, 2 * UUID_LENGTH),
  };
}

/**
 * Writes the UUID of the 16 bytes of `random` at `from` into `out` at `at`
 * (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`), its version (4) and variant (RFC 4122) set.
 */
function writeUuid(random: Buffer, from: number, out: Buffer, at: number): void {
  let w = at;
  for (let i = 0; i < 16; i++) {
    let byte = random[from + i]!;
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) out[w++] = DASH;
    out[w++] = HEX[2 * byte]!;
    out[w++] = HEX[2 * byte + 1]!;
  }
}
