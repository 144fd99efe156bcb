/**
 * A Lua script of ours, run on the Redis connection of a BullMQ worker: by its SHA1 (`EVALSHA`),
 * and sent whole (`EVAL`) once to a Redis, or a cluster node, that has not seen it yet.
 */
import { createHash } from 'node:crypto';
import type { Worker } from 'bullmq';

interface ScriptClient {
  evalsha(sha: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
}

export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` and `args` on `worker`'s connection; its reply. */
  async run(worker: Worker, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    const client = (await worker.getBackend().client) as unknown as ScriptClient;
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return client.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}
