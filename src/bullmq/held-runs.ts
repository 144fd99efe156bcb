/**
 * The sleeps of held job runs (`holdFor` in worker.ts: a run that keeps its job between polls),
 * which the worker's `close()` cuts short: each sleeping run then releases its job at once, and
 * `close()` waits for those releases. The timers never keep the process alive.
 */
export class HeldRuns {
  #closing = false;
  /** The wakers of the runs asleep now. */
  readonly #asleep = new Set<() => void>();
  /** The releases that `close()` started. */
  readonly #releases: Array<Promise<unknown>> = [];

  /** Whether `close()` was called: no run sleeps any more. */
  get closing(): boolean {
    return this.#closing;
  }

  /**
   * Sleeps until `atMs` (ms since the epoch). When the worker closes first (or has closed),
   * runs `release` (which gives the job back) instead, and settles as it does.
   */
  sleep(atMs: number, release: () => Promise<never>): Promise<void> {
    if (this.#closing) return release();
    return new Promise<void>((resolve, reject) => {
      const wake = (closing: boolean) => {
        clearTimeout(timer);
        this.#asleep.delete(waker);
        if (!closing) return resolve();
        const released = release();
        this.#releases.push(released);
        released.then(resolve, reject);
      };
      const waker = () => wake(true);
      const timer = setTimeout(wake, Math.max(0, atMs - Date.now()), false);
      timer.unref();
      this.#asleep.add(waker);
    });
  }

  /** From now on no run sleeps: wakes those asleep; resolves once their releases settled. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const wake of [...this.#asleep]) wake();
    await Promise.allSettled(this.#releases);
  }
}
