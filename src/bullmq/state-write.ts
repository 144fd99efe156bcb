/**
 * Writes a wait's state at the end of a job run, in one Redis script and only while this run holds
 * the job's lock: a worker frozen past its lock (the job taken over as stalled, maybe finished
 * meanwhile) writes nothing. The script stores what changed (the job's data; its progress, with
 * the `progress` event) and, for a wait that goes on, moves the job from active to the delayed set
 * until its next poll: one script a poll, where BullMQ's `updateData`, `updateProgress` and
 * `moveToDelayed` would be three, and six commands for a poll that changed nothing, where
 * `moveToDelayed` alone runs thirteen.
 *
 * It uses BullMQ's key layout (`<prefix>:<queue>:<job id>` and its `:lock`, the queue's `active`,
 * `delayed`, `marker`, `events` and `meta` keys) and moves the job as BullMQ's `moveToDelayed`
 * does: out of `active` (else left where it is), lock removed, into `delayed` at its time ×
 * 0x1000 (BullMQ promotes what is due by that score), the workers' `marker` brought forward when
 * the job is due before it. What it leaves out: the job's id in the `stalled` set (the stalled check skips an id that is
 * not in `active`, and clears the set each time); BullMQ's `delayed` event and the job's `delay`
 * field, written only on request (the stream keeps `waiting`, `active`, `progress`, `completed`
 * and `failed`); and the stream's trimming to the queue's `maxLenEvents` (BullMQ's default
 * 10 000), which that event's `XADD` did and which the run does when asked.
 */
import type { Job, Worker } from 'bullmq';
import { LuaScript } from './lua-script';

// KEYS: the job's lock, the job, the queue's active, delayed, marker, events and meta keys.
// ARGV: the run's token, the job id, the data and the progress as JSON ("" when unchanged), the
// time of the next poll in ms ("" when the job stays active), "1" for BullMQ's delayed event, the
// delay in ms (for that event's `delay` field), "1" to trim the events stream.
const SCRIPT = new LuaScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[1] then return 0 end
local jobId = ARGV[2]
local maxEvents = nil
local function maxLen()
  maxEvents = maxEvents or tonumber(redis.call("HGET", KEYS[7], "opts.maxLenEvents")) or 10000
  return maxEvents
end
if ARGV[3] ~= "" and ARGV[4] ~= "" then
  redis.call("HSET", KEYS[2], "data", ARGV[3], "progress", ARGV[4])
elseif ARGV[3] ~= "" then
  redis.call("HSET", KEYS[2], "data", ARGV[3])
elseif ARGV[4] ~= "" then
  redis.call("HSET", KEYS[2], "progress", ARGV[4])
end
if ARGV[4] ~= "" then
  redis.call("XADD", KEYS[6], "MAXLEN", "~", maxLen(), "*", "event", "progress", "jobId", jobId, "data", ARGV[4])
end
if ARGV[5] == "" then return 1 end
local due = tonumber(ARGV[5])
if redis.call("LREM", KEYS[3], -1, jobId) == 0 then return 0 end
redis.call("DEL", KEYS[1])
redis.call("ZADD", KEYS[4], due * 0x1000, jobId)
local marker = tonumber(redis.call("ZSCORE", KEYS[5], "1"))
if marker == nil or marker > due then redis.call("ZADD", KEYS[5], due, "1") end
if ARGV[6] == "1" then
  redis.call("HSET", KEYS[2], "delay", ARGV[7])
  redis.call("XADD", KEYS[6], "MAXLEN", "~", maxLen(), "*", "event", "delayed", "jobId", jobId, "delay", due)
elseif ARGV[8] == "1" then
  redis.call("XTRIM", KEYS[6], "MAXLEN", "~", maxLen())
end
return 1`);

/** What a run writes: each part `null` when it did not change (nothing is written for it). */
export interface StateWrite {
  /** The job's new data. */
  data: unknown;
  /** The job's new progress (published as a `progress` event). */
  progress: unknown;
  /** The job goes to the delayed set until then (ms since the epoch); `null`: it stays active (it is about to finish). */
  delayUntil: number | null;
  /** With `delayUntil`: write BullMQ's `delayed` event (and the job's `delay` field), as BullMQ's `moveToDelayed` does. */
  delayedEvent?: boolean;
  /** With `delayUntil` and no `delayed` event: trim the events stream to the queue's `maxLenEvents`. */
  trimEvents?: boolean;
}

/**
 * Stores `write` in the job if the run of `token` still holds its lock; `false` when it does not
 * (nothing was written, the job was not moved), or when the job to move was not in the active
 * list (what changed is written, the job is left where it is, as BullMQ's `moveToDelayed` does).
 */
export async function writeState(worker: Worker, job: Job, token: string | undefined, write: StateWrite): Promise<boolean> {
  if (token === undefined) return false;
  const jobKey = worker.toKey(job.id!);
  const keys = worker.keys;
  const delayUntil = write.delayUntil === null ? null : Math.max(0, Math.ceil(write.delayUntil));
  const scriptKeys = [`${jobKey}:lock`, jobKey, keys.active!, keys.delayed!, keys.marker!, keys.events!, keys.meta!];
  const args = [
    token,
    job.id!,
    write.data === null ? '' : JSON.stringify(write.data),
    write.progress === null ? '' : JSON.stringify(write.progress),
    delayUntil === null ? '' : String(delayUntil),
    write.delayedEvent ? '1' : '0',
    delayUntil === null ? '0' : String(Math.max(0, delayUntil - Date.now())),
    write.trimEvents ? '1' : '0',
  ];
  if (Number(await SCRIPT.run(worker, scriptKeys, args)) !== 1) return false;
  if (write.data !== null) job.data = write.data as Job['data'];
  if (write.progress !== null) job.progress = write.progress as Job['progress'];
  return true;
}
