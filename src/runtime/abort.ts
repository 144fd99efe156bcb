/**
 * One `abort` listener per signal, however many calls watch it. Node warns ("Possible EventTarget
 * memory leak detected") past 10 listeners on one signal, and walks the whole list on every
 * `addEventListener`: a signal shared by 10 000 calls would cost both. Here each signal gets one
 * listener that tells a set of watchers; leaving is a `Set.delete`. A {@link LazyAbort} is
 * watched directly, without making its signal.
 */
import { type AbortWatcher, LazyAbort } from './lazy-abort';

export type { AbortWatcher } from './lazy-abort';

const watchers = new WeakMap<AbortSignal, Set<AbortWatcher>>();

/** What a call may be stopped by: a signal, or the SDK's own lazy abort. */
export type Stopper = AbortSignal | LazyAbort;

/**
 * Tells `watcher` once, with `signal.reason`, when `signal` aborts (at once if it already has),
 * unless {@link unwatchAbort} took it off first. A watcher object costs no closure: what a
 * sleeping wait holds for its signal.
 */
export function watchAbort(signal: Stopper, watcher: AbortWatcher): void {
  if (signal instanceof LazyAbort) return signal.watch(watcher);
  if (signal.aborted) return watcher.onAbort(signal.reason);
  let set = watchers.get(signal);
  if (!set) {
    const own = new Set<AbortWatcher>();
    set = own;
    watchers.set(signal, own);
    signal.addEventListener(
      'abort',
      () => {
        // A watcher taken off by another one's onAbort is not told.
        for (const each of own) each.onAbort(signal.reason);
        watchers.delete(signal);
      },
      { once: true },
    );
  }
  set.add(watcher);
}

/** Stops telling `watcher` about `signal` (once the work it watched for is over). */
export function unwatchAbort(signal: Stopper, watcher: AbortWatcher): void {
  if (signal instanceof LazyAbort) signal.unwatch(watcher);
  else watchers.get(signal)?.delete(watcher);
}

/**
 * Calls `onAbort(signal.reason)` once when `signal` aborts (at once if it already has). Returns the
 * function that stops watching; call it when the work is over.
 */
export function whenAborted(signal: Stopper, onAbort: (reason: unknown) => void): () => void {
  const watcher: AbortWatcher = { onAbort };
  watchAbort(signal, watcher);
  return () => unwatchAbort(signal, watcher);
}
