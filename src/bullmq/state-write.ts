/**
 * Writes a wait's state between polls (the job's data, and its progress when the running status
 * changed) in one Redis script, and only while this run holds the job's lock: a worker frozen past
 * its lock (the job taken over as stalled, maybe finished meanwhile) writes nothing. One script a
 * poll, where BullMQ's `extendLock`, `updateData` and `updateProgress` would be three.
 *
 * It uses BullMQ's key layout (`<prefix>:<queue>:<job id>` and its `:lock`, `<prefix>:<queue>:events`
 * and `:meta`) and writes the `progress` event as BullMQ's `updateProgress` does, trimmed to the
 * queue's `maxLenEvents` (BullMQ's default 10 000).
 */
import type { Job, Worker } from 'bullmq';

const SCRIPT = `
if redis.call("GET", KEYS[1]) ~= ARGV[1] then return 0 end
redis.call("HSET", KEYS[2], "data", ARGV[3])
if ARGV[4] ~= "" then
  redis.call("HSET", KEYS[2], "progress", ARGV[4])
  local maxEvents = tonumber(redis.call("HGET", KEYS[4], "opts.maxLenEvents")) or 10000
  redis.call("XADD", KEYS[3], "MAXLEN", "~", maxEvents, "*", "event", "progress", "jobId", ARGV[2], "data", ARGV[4])
end
return 1`;

interface ScriptClient {
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

/**
 * Stores `data` (and `progress`, when not `null`) in the job if the run of `token` still holds its
 * lock; `false` when it does not (nothing was written).
 */
export async function writeState(worker: Worker, job: Job, token: string | undefined, data: unknown, progress: unknown): Promise<boolean> {
  if (token === undefined) return false;
  const client = (await worker.getBackend().client) as unknown as ScriptClient;
  const jobKey = worker.toKey(job.id!);
  const written = await client.eval(
    SCRIPT,
    4,
    `${jobKey}:lock`,
    jobKey,
    worker.keys.events!,
    worker.keys.meta!,
    token,
    job.id!,
    JSON.stringify(data),
    progress === null ? '' : JSON.stringify(progress),
  );
  if (Number(written) !== 1) return false;
  job.data = data as Job['data'];
  if (progress !== null) job.progress = progress as Job['progress'];
  return true;
}
