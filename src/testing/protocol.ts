/**
 * The messages between an `Emulator` handle (the caller's thread) and its worker. Everything
 * here crosses a worker boundary, so it is plain structured-clonable data.
 */

import type { OperationScript, RecordedRequest } from './script';
import type { ServerSettings } from './server';

/** The worker's `workerData`. */
export interface WorkerConfig extends ServerSettings {
  /** The port to listen on; 0 picks a free one. */
  port: number;
  /** The gRPC port to listen on (0 picks a free one), or `null` for no gRPC server. */
  grpcPort: number | null;
}

/** What each command resolves with. */
export interface CommandResults {
  create: string;
  expire: void;
  requests: RecordedRequest[];
  clearRequests: void;
  dropIdleConnections: void;
  restart: void;
  close: void;
}

export type CommandKind = keyof CommandResults;

/** The commands that take no argument. */
type PlainCommandKind = Exclude<CommandKind, 'create' | 'expire'>;

/** A command to the worker. */
export type Command =
  | { kind: 'create'; script: OperationScript }
  | { kind: 'expire'; operationId: string }
  | { [K in PlainCommandKind]: { kind: K } }[PlainCommandKind];

/** A command as sent, with the id its reply will carry. */
export interface CommandMessage {
  id: number;
  command: Command;
}

/** What the worker sends: first `ready` once it listens, then one `reply` per command. */
export type WorkerMessage =
  | { kind: 'ready'; port: number; grpcPort: number | null }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: Error };
