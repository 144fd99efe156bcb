/**
 * At most `size` holders at once; the others wait in line, in order. A waiter whose signal aborts
 * leaves the line and rejects with the signal's reason. Used to keep a client's requests in flight
 * few: a request waiting here costs a closure, one queued in an HTTP agent costs a whole request.
 */
export class Slots {
  readonly #size: number;
  #held = 0;
  readonly #line: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** Resolves when a slot is taken; call `release()` once done with it. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#held < this.#size) {
      this.#held += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const take = () => {
        signal?.removeEventListener('abort', leave);
        this.#held += 1;
        resolve();
      };
      const leave = () => {
        const at = this.#line.indexOf(take);
        if (at >= 0) this.#line.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.#line.push(take);
    });
  }

  /** Gives a slot back: the first in line takes it. */
  release(): void {
    this.#held -= 1;
    this.#line.shift()?.();
  }
}
