/**
 * Ctrl-C during a blocking call. Node delivers SIGINT to the main thread's event loop only, and
 * that loop does not turn while the thread blocks in `Atomics.wait` (a listener of the script's
 * own runs after the blocking call returns), and a worker's `process.on('SIGINT')` never fires.
 * A signal handle of the SDK's worker's own event loop does receive it. So, while the caller's
 * thread blocks in a call of the SDK (a round trip to the worker, or a sleep between polls), the
 * worker holds such a handle (`watchSigint`, in the worker) and counts each SIGINT in a shared
 * cell; the caller's thread wakes at once from a sleep, or within a slice of a round trip, and
 * the call throws {@link KeyboardInterrupt}. Outside a blocking call, SIGINT goes as Node sends it.
 * A sleep arms the watch through a shared cell (the worker follows it with `Atomics.waitAsync`); a
 * round trip needs no cell: the worker holds the handle while it works on a call, so that a call
 * costs no wake-up of the worker besides its own message.
 * docs/guide-blocking.md says what a script sees.
 */
import { constants } from 'node:os';

/** The cells shared with the worker: how many blocking calls are in progress, and how many SIGINTs came. */
const ARMED = 0;
const SIGNALS = 1;

/**
 * What a blocking call throws when SIGINT (Ctrl-C) arrives while it blocks, as Python's
 * `KeyboardInterrupt`: `finally` blocks run, and an operation started on the server goes on
 * there. It is not an `AIStudioError`, so that a `catch` of the SDK's errors lets it through.
 * Left uncaught by a script with no `SIGINT` listener of its own, the process exits with code 130,
 * as a shell reports a process that SIGINT ended.
 */
export class KeyboardInterrupt extends Error {
  override name = 'KeyboardInterrupt';
  /** The signal that interrupted the call. */
  readonly signal = 'SIGINT';

  constructor(message = 'interrupted by SIGINT (Ctrl-C) during a blocking call') {
    super(message);
  }
}

/**
 * The caller's side of the SIGINT watch of one SDK worker: it arms the watch while the caller's
 * thread sleeps between polls (the worker holds it by itself during a round trip) and turns a
 * SIGINT counted meanwhile into {@link KeyboardInterrupt}.
 */
export class SigintWatch {
  /** Sent to the worker once; the worker watches SIGINT while `ARMED` is above 0, or while it works on a call. */
  readonly buffer = new SharedArrayBuffer(8);
  readonly #cells = new Int32Array(this.buffer);
  /** The SIGINTs already thrown as errors. */
  #thrown = 0;

  /** Runs `body` (a sleep) with the watch armed; throws {@link KeyboardInterrupt} for a SIGINT that came before. */
  armed<R>(body: () => R): R {
    Atomics.add(this.#cells, ARMED, 1);
    Atomics.notify(this.#cells, ARMED);
    try {
      this.check();
      return body();
    } finally {
      Atomics.sub(this.#cells, ARMED, 1);
      Atomics.notify(this.#cells, ARMED);
    }
  }

  /** True when a SIGINT came that no call has thrown yet. */
  get pending(): boolean {
    return Atomics.load(this.#cells, SIGNALS) !== this.#thrown;
  }

  /** Throws {@link KeyboardInterrupt} when a SIGINT came that no call has thrown yet. */
  check(): void {
    if (!this.pending) return;
    this.#thrown = Atomics.load(this.#cells, SIGNALS);
    throw interrupted();
  }

  /** Blocks the calling thread until `untilMs` (a `Date.now()` value), or until a SIGINT comes (then throws). */
  sleepUntil(untilMs: number): void {
    for (let left = untilMs - Date.now(); left > 0; left = untilMs - Date.now()) {
      Atomics.wait(this.#cells, SIGNALS, this.#thrown, left);
      this.check();
    }
  }
}

/**
 * The error of a SIGINT. A script with no `SIGINT` listener of its own would have ended at once
 * (Node's default): if the error is left uncaught, the process exits with code 130 as it would have.
 */
function interrupted(): KeyboardInterrupt {
  const error = new KeyboardInterrupt();
  if (process.listenerCount('SIGINT') === 0) {
    Object.defineProperty(error, ENDS_PROCESS, { value: true });
    if (!process.listeners('uncaughtExceptionMonitor').includes(exitWith130)) process.on('uncaughtExceptionMonitor', exitWith130);
  }
  return error;
}

/** Marks the error of a SIGINT that would have ended the process (a script with no `SIGINT` listener). */
const ENDS_PROCESS = Symbol('yc-operation.sigint-ends-process');

/** Installed once, at the first such SIGINT: an uncaught error of one ends the process with code 130. */
function exitWith130(uncaught: unknown): void {
  if (uncaught instanceof KeyboardInterrupt && ENDS_PROCESS in uncaught) {
    process.once('exit', () => void (process.exitCode = 130));
  }
}

/** The worker's side of the watch, for its round trips: see {@link watchSigint}. */
export interface RoundTripWatch {
  /** A call is in progress: the caller's thread blocks in its round trips until it ends. */
  hold(): void;
  /** That call settled (answered, failed, or aborted when abandoned). */
  release(): void;
}

/**
 * The worker's side: holds a SIGINT handle on this worker's event loop while the caller's thread
 * sleeps in a blocking call (the `ARMED` cell above 0) or a call of the caller's is in progress
 * here (between {@link RoundTripWatch.hold} and its `release`), and counts each SIGINT in the
 * `SIGNALS` cell. Started once, with the cells the first call carries. Where the runtime gives no
 * signal handle to a worker (Bun, Deno, or a Node without `process.binding('signal_wrap')`),
 * nothing is watched and SIGINT goes as the runtime sends it.
 */
export function watchSigint(buffer: SharedArrayBuffer): RoundTripWatch {
  const cells = new Int32Array(buffer);
  const handle = signalHandle(() => {
    Atomics.add(cells, SIGNALS, 1);
    Atomics.notify(cells, SIGNALS);
  });
  if (handle === null) return { hold() {}, release() {} };
  let calls = 0;
  const apply = (): void => (Atomics.load(cells, ARMED) > 0 || calls > 0 ? handle.start() : handle.stop());
  const follow = (): void => {
    const armed = Atomics.load(cells, ARMED);
    apply();
    const waiting = (Atomics as unknown as AtomicsWaitAsync).waitAsync(cells, ARMED, armed);
    if (waiting.async) void waiting.value.then(follow);
    else setImmediate(follow);
  };
  follow();
  return {
    hold: () => {
      calls += 1;
      apply();
    },
    release: () => {
      calls -= 1;
      apply();
    },
  };
}

/** `Atomics.waitAsync` (ES2024; in Node since 16), which the project's `lib` does not declare. */
interface AtomicsWaitAsync {
  waitAsync(cells: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

interface SignalWrap {
  onsignal: (signal: number) => void;
  start(signal: number): number;
  stop(): number;
  unref(): void;
}

/**
 * A SIGINT handle of this thread's event loop (Node's own `signal_wrap`, the handle behind
 * `process.on('SIGINT')`, which a worker does not offer), unref'd, or `null` where there is none.
 * Its access is deprecated (DEP0111): the warning is kept from this worker's stderr.
 */
function signalHandle(onSignal: () => void): { start(): void; stop(): void } | null {
  const proc = process as unknown as { binding?: (name: string) => { Signal?: new () => SignalWrap }; noDeprecation?: boolean };
  const quiet = proc.noDeprecation;
  try {
    proc.noDeprecation = true;
    const Signal = proc.binding?.('signal_wrap').Signal;
    if (typeof Signal !== 'function') return null;
    const handle = new Signal();
    handle.unref();
    handle.onsignal = onSignal;
    let started = false;
    return {
      start: () => void (started || (started = handle.start(constants.signals.SIGINT) === 0)),
      stop: () => void (started && (handle.stop(), (started = false))),
    };
  } catch {
    return null;
  } finally {
    proc.noDeprecation = quiet;
  }
}
