/**
 * The debug switch of the environment, as `OPENAI_LOG` or `GH_DEBUG`: `YC_OPERATION_LOG=debug`
 * (or `info`, `warn`, `error`) logs the SDK's lines of that level and above on stderr, for a
 * client given no `logger` option.
 */
import { format } from 'node:util';
import { type Logger, noLog } from '../core/transport';
import { redact } from './auth/secret';

/** The variable that switches the console logger on. */
export const LOG_VARIABLE = 'YC_OPERATION_LOG';

/** The levels, least severe first: a level logs itself and those after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the logger writes (process.stderr by default). */
export interface LogStream {
  write(text: string): unknown;
}

/**
 * The credential variables of the environment chain: their values are masked in every line, as
 * a last guard (no line of the SDK carries a credential in the first place).
 */
const SECRET_VARIABLES = ['YC_API_KEY', 'YC_IAM_TOKEN', 'YC_OAUTH_TOKEN', 'YC_TOKEN'] as const;
/** Shorter values are not masked: they would mask ordinary words, and are no real credential. */
const MIN_SECRET_LENGTH = 8;

/** The invalid values already warned about, so that each is reported once per process. */
const warned = new Set<string>();

/**
 * The console logger that `YC_OPERATION_LOG` asks for, or `null` when it asks for none.
 *
 * The value is one of `debug`, `info`, `warn`, `error` (case and surrounding blanks ignored):
 * lines of that level and above go to `stream`, one per call, as
 * `2026-01-02T03:04:05.678Z yc-operation debug: GET https://... (attempt 1)`. Unset or empty:
 * `null` (no logging). Any other value is ignored, as unset, with one warning line on `stream`
 * naming the accepted values (once per process for each distinct value), so that a typo does
 * not silently log nothing.
 *
 * @param env the environment to read; default `process.env`
 * @param stream where the lines go; default `process.stderr`
 */
export function envLogger(env: NodeJS.ProcessEnv = process.env, stream: LogStream = process.stderr): Logger | null {
  const raw = env[LOG_VARIABLE]?.trim() ?? '';
  if (raw === '') return null;
  const threshold = LOG_LEVELS.indexOf(raw.toLowerCase() as LogLevel);
  if (threshold < 0) {
    if (!warned.has(raw)) {
      warned.add(raw);
      stream.write(
        `yc-operation: ignoring ${LOG_VARIABLE}=${JSON.stringify(raw.slice(0, 40))}: expected one of ${LOG_LEVELS.join(', ')}\n`,
      );
    }
    return null;
  }
  const secrets = SECRET_VARIABLES.map((name) => env[name]?.trim()).filter(
    (value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH,
  );
  const line = (level: LogLevel) =>
    LOG_LEVELS.indexOf(level) < threshold
      ? noLog
      : (message: string, ...rest: unknown[]) => {
          const text = secrets.reduce((masked, secret) => redact(masked, secret), format(message, ...rest));
          stream.write(`${new Date().toISOString()} yc-operation ${level}: ${text}\n`);
        };
  return Object.freeze({ debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') });
}
