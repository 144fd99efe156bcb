/**
 * Parsers of option values for commander: a malformed value is refused before anything runs,
 * with a one-line message naming what was expected (commander adds the option's name).
 */
import { InvalidArgumentError } from 'commander';

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A positive number of seconds, such as `5` or `0.5`. */
export function parseSeconds(value: string): number {
  const seconds = DECIMAL.test(value) ? Number(value) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new InvalidArgumentError('Expected a positive number of seconds, such as 5 or 0.5.');
  return seconds;
}

/** A TCP port, 0 to 65535 (0: any free port). */
export function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65_535)) throw new InvalidArgumentError('Expected a port number from 0 to 65535 (0: any free port).');
  return port;
}

/** The values given to credential flags (`--flag value` or `--flag=value`), to mask them in any output. */
export function flagValues(argv: readonly string[], flags: readonly string[]): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    const flag = flags.find((name) => arg === name || arg.startsWith(`${name}=`));
    const value = flag === undefined ? undefined : arg === flag ? argv[i + 1] : arg.slice(flag.length + 1);
    if (value !== undefined) values.push(value);
  });
  return values;
}
