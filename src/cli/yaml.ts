/**
 * `--output yaml`: JSON data written as a YAML 1.2 block document, for people who read YAML
 * more easily than JSON. Only what JSON can hold is needed, so this is a few lines rather than a
 * dependency: mappings and sequences in block style, `{}` and `[]` for empty ones, numbers,
 * booleans and `null` as JSON writes them, and strings plain when no YAML reader (1.2 or 1.1)
 * could take them for anything else, double-quoted in JSON's escapes (valid YAML) otherwise.
 */

/** Words a YAML 1.1 or 1.2 reader takes for a boolean or null when unquoted. */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
/** Starts with a letter and holds no indicator, blank or digit-led form (number, date, time). */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;

/** `value` (anything `JSON.stringify` takes) as YAML, without a trailing newline. */
export function toYaml(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : block(JSON.parse(json)).join('\n');
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** The lines of a JSON value at the top of a block (indented by the caller). */
function block(value: unknown): string[] {
  if (!isContainer(value)) return [scalar(value)];
  if (Array.isArray(value)) return value.flatMap((item) => nest('-', item, ' '));
  return Object.entries(value).flatMap(([key, item]) => nest(`${text(key)}:`, item, Array.isArray(item) ? '' : '  '));
}

/**
 * One entry: `head value` on one line for a scalar or an empty container; else `head` and the
 * container's lines, indented (a sequence item's first line shares the `- ` line).
 */
function nest(head: string, value: unknown, indent: string): string[] {
  if (!isContainer(value)) return [`${head} ${scalar(value)}`];
  const lines = block(value);
  if (head === '-') return [`- ${lines[0]}`, ...lines.slice(1).map((line) => `  ${line}`)];
  return [head, ...lines.map((line) => `${indent}${line}`)];
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return JSON.stringify(value);
}

function text(value: string): string {
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}
