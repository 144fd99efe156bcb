/**
 * One `abort` listener per signal, however many calls watch it. Node warns ("Possible EventTarget
 * memory leak detected") past 10 listeners on one signal, and walks the whole list on every
 * `addEventListener`: a signal shared by 10 000 calls would cost both. Here each signal gets one
 * listener that calls a set of callbacks; leaving is a `Set.delete`. A {@link LazyAbort} is
 * watched directly, without making its signal.
 */
import { LazyAbort } from './lazy-abort';

const watchers = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/** What a call may be stopped by: a signal, or the SDK's own lazy abort. */
export type Stopper = AbortSignal | LazyAbort;

/**
 * Calls `onAbort(signal.reason)` once when `signal` aborts (at once if it already has). Returns the
 * function that stops watching; call it when the work is over.
 */
export function whenAborted(signal: Stopper, onAbort: (reason: unknown) => void): () => void {
  if (signal instanceof LazyAbort) return signal.watch(onAbort);
  if (signal.aborted) {
    onAbort(signal.reason);
    return () => {};
  }
  let set = watchers.get(signal);
  if (!set) {
    const callbacks = new Set<(reason: unknown) => void>();
    set = callbacks;
    watchers.set(signal, callbacks);
    signal.addEventListener('abort', () => {
      watchers.delete(signal);
      for (const callback of callbacks) callback(signal.reason);
    }, { once: true });
  }
  set.add(onAbort);
  const callbacks = set;
  return () => void callbacks.delete(onAbort);
}
