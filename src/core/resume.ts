/**
 * The saved form of an operation (`op.toJSON()`, `client.restore(json)`), so that an operation
 * started in one process can be waited on in another, or handed from one flavour to the other.
 * Versioned: `v: 1`. The saved status keeps `done`, `error` and `response`, not the metadata
 * (the next poll brings it back): decoded metadata need not survive JSON.
 */
import { checkOperationId, secondsOrFallback, typeName } from './options';
import type { OperationStatus } from './status';

/** An operation as `toJSON()` saves it: JSON-safe. */
export interface SavedOperation {
  v: 1;
  id: string;
  /** The base URL the operation was polled on. */
  endpoint: string;
  /** The last known status in the wire form (without metadata), or `null`. */
  lastKnownStatus: { id: string; done: boolean; error?: { code: number; message: string; details: string[] }; response?: unknown } | null;
  /** The operation's default poll timeout, in seconds. */
  defaultPollTimeout: number;
}

/** The saved form of an operation. */
export function saveOperation(
  id: string,
  endpoint: string,
  status: OperationStatus<unknown> | null,
  defaultPollTimeoutS: number,
): SavedOperation {
  const lastKnownStatus = status && {
    id,
    done: status.done,
    ...(status.error
      ? { error: { code: status.error.code, message: status.error.message, details: [...(status.error.details ?? [])] } }
      : {}),
    ...(status.response !== null ? { response: status.response } : {}),
  };
  return { v: 1, id, endpoint, lastKnownStatus, defaultPollTimeout: defaultPollTimeoutS };
}

/** Checks a saved operation for `restore`, against the endpoint of the client restoring it. */
export function checkSavedOperation(saved: unknown, endpoint: string): SavedOperation {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) {
    throw new TypeError(`restore takes what toJSON() gave, got ${typeName(saved)}`);
  }
  const s = saved as Partial<SavedOperation>;
  if (s.v !== 1) throw new TypeError(`restore knows version 1 of the saved form, got ${JSON.stringify(s.v)}`);
  checkOperationId(s.id);
  if (s.endpoint !== endpoint) {
    throw new TypeError(`the operation was saved for ${JSON.stringify(s.endpoint)}, but this client calls ${JSON.stringify(endpoint)}`);
  }
  secondsOrFallback('defaultPollTimeout', s.defaultPollTimeout, 1);
  return s as SavedOperation;
}
