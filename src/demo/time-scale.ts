/**
 * The demo's time scale: `YC_OPERATION_DEMO_TIME_SCALE` (a positive number, default 1) multiplies
 * every duration of the demo (how long its operations run, when it cancels one, its poll intervals
 * and its poll timeout), so that its test runs the whole demo in a fraction of the time
 * (test/demo.test.ts). The story stays the same at any scale.
 */

function scaleOf(text: string | undefined): number {
  const scale = Number(text ?? 1);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new RangeError(`YC_OPERATION_DEMO_TIME_SCALE must be a positive number, got ${JSON.stringify(text)}`);
  return scale;
}

const SCALE = scaleOf(process.env.YC_OPERATION_DEMO_TIME_SCALE);

/** `seconds` at the demo's time scale (to the millisecond). */
export function scaled(seconds: number): number {
  return Math.round(seconds * SCALE * 1000) / 1000;
}

/**
 * The client headers that make the emulator's started operations (start helpers, assistant runs)
 * finish at the demo's scale: none at scale 1, where they take the emulator's default 1 s.
 */
export function startHeaders(): Record<string, string> {
  return SCALE === 1 ? {} : { 'x-emulator-done-after': String(scaled(1)) };
}
