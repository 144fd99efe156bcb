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

/** The seconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z: the years written with four digits. */
const FIRST_SECOND = -62_167_219_200;
const END_SECOND = 253_402_300_800;
const DAY_SECONDS = 86_400;

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function timestampText({ seconds, nanos }: SecondsNanos): string {
  if (!Number.isInteger(seconds) || seconds < FIRST_SECOND || seconds >= END_SECOND) {
    const iso = new Date(seconds * 1000).toISOString(); // 2024-05-12T18:46:54.000Z
    return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
  }
  // The civil date of a day count (days since 1970-01-01), in 400-year eras of 146 097 days that start on March 1st.
  const days = Math.floor(seconds / DAY_SECONDS);
  const time = seconds - days * DAY_SECONDS;
  const shifted = days + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(time / 3600);
  const minute = Math.floor((time % 3600) / 60);
  const date = `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(day)}`;
  return `${date}T${twoDigits(hour)}:${twoDigits(minute)}:${twoDigits(time % 60)}${fraction(nanos)}Z`;
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
