/** The options of `waitAll` and `asCompleted`, checked once for both flavours. */
import { checkOptions, integerInRange } from './options';
import { RequestPacer } from './pacer';
import type { WaitOptions } from './poll';

/** Options of `waitAll()` and `asCompleted()`. Times are in seconds. */
export interface ManyOptions extends WaitOptions {
  /** How many operations are polled at the same time; the others wait their turn. @default all of them */
  concurrency?: number;
  /** The most status requests started per second, across all the operations (an API quota). @default no limit */
  maxRequestsPerSecond?: number;
}

const MANY_OPTIONS = ['timeout', 'pollTimeout', 'pollInterval', 'concurrency', 'maxRequestsPerSecond'] as const;

/** The checked options: what each wait gets, how many run at once, and the pacer (if any). */
export function planMany<O extends ManyOptions>(options: O | undefined, extra: readonly string[] = []) {
  const o = checkOptions('waitAll/asCompleted', options, [...MANY_OPTIONS, ...extra]);
  const { concurrency, maxRequestsPerSecond, ...wait } = o;
  return {
    wait,
    concurrency: concurrency === undefined ? Number.POSITIVE_INFINITY : integerInRange('concurrency', concurrency, 1, 1_000_000),
    pacer: maxRequestsPerSecond === undefined ? null : new RequestPacer(maxRequestsPerSecond),
  };
}
