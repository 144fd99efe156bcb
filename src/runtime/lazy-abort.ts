/**
 * An abort whose `AbortSignal` is made only when something asks for it. Node makes an
 * AbortController's signal at its first use, and making one costs more than the rest of a poll's
 * bookkeeping together; the SDK's own code watches a {@link LazyAbort} directly (`aborted`,
 * `reason`, `./abort.ts`'s `whenAborted`), and only code of others (a credential provider, a user's
 * axios instance) gets its `signal`.
 */
/** What watches an abort: told once, with the reason, when it aborts. */
export interface AbortWatcher {
  onAbort(reason: unknown): void;
}

export class LazyAbort {
  /** Made with the signal, at its first ask. */
  #controller: AbortController | null = null;
  #aborted = false;
  #reason: unknown = undefined;
  /** Made at the first watch. */
  #watchers: Set<AbortWatcher> | null = null;

  /** True once aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it aborted (`undefined` before). */
  get reason(): unknown {
    return this.#reason;
  }

  /** The AbortSignal, made at the first ask (already aborted, with the reason, if this has). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Rejects with the reason once aborted, as `AbortSignal.throwIfAborted`. */
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** Aborts, with `reason` or else an `AbortError`, as `AbortController.abort`; once. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.#controller?.abort(this.#reason);
    // A watcher taken off by another one's onAbort is not told.
    for (const watcher of this.#watchers ?? []) watcher.onAbort(this.#reason);
    this.#watchers = null;
  }

  /** Tells `watcher` once when this aborts (at once if it has), unless {@link LazyAbort.unwatch} took it off first. */
  watch(watcher: AbortWatcher): void {
    if (this.#aborted) return watcher.onAbort(this.#reason);
    (this.#watchers ??= new Set()).add(watcher);
  }

  /** Stops telling `watcher`. */
  unwatch(watcher: AbortWatcher): void {
    this.#watchers?.delete(watcher);
  }
}
