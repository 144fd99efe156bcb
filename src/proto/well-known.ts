/**
 * The proto3 JSON text forms of `google.protobuf.Timestamp` (RFC 3339, UTC, 0/3/6/9 fraction
 * digits) and `google.protobuf.Duration` (`"1.5s"`), both ways.
 */

export interface SecondsNanos {
  seconds: number;
  nanos: number;
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  return `.${digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits}`;
}

export function timestampText({ seconds, nanos }: SecondsNanos): string {
  const iso = new Date(seconds * 1000).toISOString(); // 2024-05-12T18:46:54.000Z
  return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
}

export function parseTimestamp(text: string): SecondsNanos {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const ms = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  if (!match || Number.isNaN(ms)) throw new TypeError(`not an RFC 3339 timestamp: ${JSON.stringify(text)}`);
  return { seconds: ms / 1000, nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

export function durationText({ seconds, nanos }: SecondsNanos): string {
  const sign = seconds < 0 || nanos < 0 ? '-' : '';
  return `${sign}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

export function parseDuration(text: string): SecondsNanos {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!match) throw new TypeError(`not a duration: ${JSON.stringify(text)}`);
  const sign = match[1] ? -1 : 1;
  return { seconds: sign * Number(match[2]), nanos: sign * Number((match[3] ?? '').padEnd(9, '0')) };
}
