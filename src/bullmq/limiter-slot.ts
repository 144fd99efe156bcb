/**
 * A slot of BullMQ's queue-wide rate limiter for a poll made inside a held job run (one that
 * polls again without leaving the active list, see `holdFor` in worker.ts): the fleet's budget
 * counts it as BullMQ's `moveToActive` counts a job run.
 *
 * The limiter is BullMQ's (node_modules/bullmq/dist/cjs/commands/moveToActive-11.lua with its
 * includes getQueueMetadata.lua, getRateLimitTTL.lua and prepareJobForProcessing.lua): a counter
 * at the queue's `limiter` key, `INCR`ed by each run that starts and given the window's duration
 * (`PEXPIRE`) by the first one; the queue is limited while the counter is at least the limit
 * (the queue's `max` meta field, set by `Queue.setGlobalRateLimit`, else the worker's
 * `limiter.max`), for the key's time to live. `Queue.rateLimit` (after a 429) sets the counter to
 * `Number.MAX_SAFE_INTEGER` for its delay: every slot is taken until it expires.
 *
 * One script, only while the run holds the job's lock (`<job key>:lock` holds its token): it
 * increments first and compares after, where BullMQ reads then increments (a command less a
 * poll); a counter past the limit limits as one at the limit does, and expires with its window
 * all the same. As in BullMQ, a window in its last millisecond (`PTTL` 0) is ended (`DEL`) and a
 * new one begun: runs woken by its end at once would otherwise all pass in the old one.
 */
import type { Job, Worker } from 'bullmq';
import { LuaScript } from './lua-script';

// KEYS: the job's lock, the queue's limiter and meta keys. ARGV: the run's token, the worker's
// limit (runs per window) and its window in ms. Returns -1 when the lock is not the run's, 0 when
// a slot was taken, else how many ms the queue stays limited.
const SCRIPT = new LuaScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[1] then return -1 end
local max = tonumber(redis.call("HGET", KEYS[3], "max")) or tonumber(ARGV[2])
local count = redis.call("INCR", KEYS[2])
if count > max then
  local ttl = redis.call("PTTL", KEYS[2])
  if ttl > 0 then return ttl end
  if ttl == 0 then
    redis.call("DEL", KEYS[2])
    count = redis.call("INCR", KEYS[2])
  end
end
if count == 1 then redis.call("PEXPIRE", KEYS[2], ARGV[3]) end
return 0`);

/** BullMQ's limiter as a worker sets it: at most `max` job runs per `durationMs`. */
export interface Limiter {
  max: number;
  durationMs: number;
}

/**
 * Takes a slot of the queue's limiter for one poll of the run of `token`: `0` when taken, else
 * how many ms to wait before trying again; `null` when the run no longer holds the job's lock
 * (nothing was counted).
 */
export async function takeLimiterSlot(worker: Worker, job: Job, token: string | undefined, limiter: Limiter): Promise<number | null> {
  if (token === undefined) return null;
  const keys = [`${worker.toKey(job.id!)}:lock`, worker.keys.limiter!, worker.keys.meta!];
  const reply = Number(await SCRIPT.run(worker, keys, [token, limiter.max, limiter.durationMs]));
  return reply < 0 ? null : reply;
}
