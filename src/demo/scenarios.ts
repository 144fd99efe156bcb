/**
 * The demo's four operations: the emulator's script of each, what the demo does besides
 * waiting on it, and the outcome it should end with. Both flavours play the same four.
 */
import type { SyncOperationOptions } from 'yc-operation';
import { GrpcCode, type OperationScript } from 'yc-operation/testing';
import { scaled } from './time-scale';

/** How a wait ends, as the demo explains it. */
export type OutcomeKind = 'success' | 'failed' | 'cancelled' | 'timed out' | 'unexpected error';

export interface Scenario {
  /** A short name, for the report's first column. */
  name: string;
  /** What it shows, in one line. */
  story: string;
  script: OperationScript;
  /** The demo cancels the operation once it has waited this long, in seconds. */
  cancelAfter?: number;
  /** The wait's `pollTimeout`, in seconds. */
  pollTimeout?: number;
  expected: OutcomeKind;
}

/** The progress metadata of the fine-tuning scenario, as its `metadataDecoder` makes it. */
export interface TuningProgress {
  stage: string;
  percent: number;
}

/** The demo's response of a finished tuning. */
interface TunedModel {
  modelUri: string;
}

const TUNING_SECONDS = scaled(2.5);
const PROGRESS_TYPE = 'type.googleapis.com/yc_operation.demo.TuningProgress';

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'fine-tuning',
    story: `reports its progress for ${TUNING_SECONDS} s, then succeeds`,
    script: {
      description: 'Demo: fine-tuning',
      doneAfter: TUNING_SECONDS,
      metadata: [0, 25, 50, 75, 100].map((percent) => ({
        '@type': PROGRESS_TYPE,
        stage: percent === 0 ? 'queued' : percent === 100 ? 'saving' : 'training',
        percent,
      })),
      response: { '@type': 'type.googleapis.com/yc_operation.demo.TunedModel', modelUri: 'gpt://b1gdemo/yandexgpt-lite/latest@demo-tuned' },
    },
    expected: 'success',
  },
  {
    name: 'dataset import',
    story: `fails after ${scaled(1)} s with a google.rpc.Status`,
    script: {
      description: 'Demo: dataset import',
      doneAfter: scaled(1),
      error: {
        code: GrpcCode.FAILED_PRECONDITION,
        message: 'Dataset "reviews.jsonl" has no valid rows',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'rows[0].text', description: 'must not be empty' }],
          },
        ],
      },
    },
    expected: 'failed',
  },
  {
    name: 'batch export',
    story: `would run forever: the demo cancels it after ${scaled(1)} s`,
    script: { description: 'Demo: batch export', never: true },
    cancelAfter: scaled(1),
    expected: 'cancelled',
  },
  {
    name: 'nightly report',
    story: `takes ${scaled(30)} s, but the demo waits ${scaled(1.5)} s at most (pollTimeout)`,
    script: { description: 'Demo: nightly report', doneAfter: scaled(30) },
    pollTimeout: scaled(1.5),
    expected: 'timed out',
  },
];

/**
 * The operation options of every scenario, for both flavours (the blocking one takes only a
 * synchronous `resultDecoder`): typed progress metadata, and the tuned model's URI as the result.
 */
export const OPERATION_OPTIONS: SyncOperationOptions<string, TuningProgress> = {
  metadataDecoder: (metadata) => {
    const { stage, percent } = metadata as Partial<TuningProgress>;
    return { stage: String(stage), percent: Number(percent) };
  },
  resultDecoder: (response) => (response as TunedModel).modelUri,
};
