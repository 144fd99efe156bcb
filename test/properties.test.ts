/**
 * Property tests (fast-check) of wire decoding and the status rules: for any JSON the server
 * could send, and any object a caller could hand to `fromOperation`, `decodeOperation` either
 * returns a status that keeps the reference's rules (docs/behaviour.md) or throws our
 * `WireDecodeError` — never anything else, and never a status that breaks a rule.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AIStudioError, WireDecodeError } from '../src/core/errors';
import { OperationErrorInfo, OperationStatus } from '../src/core/status';
import { decodeOperation } from '../src/core/wire';

const RUNS = { numRuns: 1000 };

// ---- the reference's rules, written out independently of src/core/status.ts ----------------------

/** Checks every property of `s` against the reference's table, and the status's other promises. */
function expectReferenceRules(s: OperationStatus): void {
  const failed = s.done && s.error !== null && s.error.code > 0;
  const succeeded = s.done && s.response !== null && !failed;
  expect(s.isRunning).toBe(!s.done);
  expect(s.isFailed).toBe(failed);
  expect(s.isSucceeded).toBe(succeeded);
  expect(s.isFinished).toBe(succeeded || failed);
  expect(s.statusName).toBe(succeeded ? 'success' : failed ? 'failed' : 'running');
  // At most one of running / succeeded / failed; none of them only for "done with neither".
  expect([s.isRunning, s.isSucceeded, s.isFailed].filter(Boolean).length).toBeLessThanOrEqual(1);
  // Only a failed status shows its error in its text form.
  expect(String(s)).toBe(failed ? `OperationStatus<failed, error=${String(s.error)}>` : `OperationStatus<${s.statusName}>`);
  expect(Object.isFrozen(s)).toBe(true);
  expect(typeof s.done).toBe('boolean');
  if (s.error !== null) {
    expect(s.error).toBeInstanceOf(OperationErrorInfo);
    expect(Object.isFrozen(s.error)).toBe(true);
    expect(Number.isInteger(s.error.code)).toBe(true);
    expect(s.error.code).not.toBe(0); // code 0 is "no error"
    expect(typeof s.error.message).toBe('string');
    if (s.error.details !== null) {
      expect(Object.isFrozen(s.error.details)).toBe(true);
      for (const detail of s.error.details) expect(typeof detail).toBe('string');
    }
  }
}

/** Decodes `json`: a decoded operation, or the error thrown (which must be our WireDecodeError). */
function decodeOrError(json: unknown): ReturnType<typeof decodeOperation> | WireDecodeError {
  try {
    return decodeOperation(json);
  } catch (error) {
    expect(error).toBeInstanceOf(WireDecodeError);
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/^operation(\.\w+)*(\[\d+\])? /);
    return error as WireDecodeError;
  }
}

/** What the decoder must have kept of `json` when it accepted it. */
function expectFaithful(json: Record<string, unknown>, decoded: ReturnType<typeof decodeOperation>): void {
  const { id, status } = decoded;
  expect(id).toBe(json.id ?? null);
  expect(status.done).toBe(json.done ?? false);
  expect(status.response).toBe(json.response ?? null);
  expect(status.metadata).toBe(json.metadata ?? null);
  const error = json.error as Record<string, unknown> | null | undefined;
  if (error === null || error === undefined || (error.code ?? 0) === 0) {
    expect(status.error).toBeNull();
  } else {
    expect(status.error!.code).toBe(error.code);
    expect(status.error!.message).toBe(error.message ?? '');
    expect(status.error!.details).toEqual(
      Array.isArray(error.details) ? error.details.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))) : [],
    ); // absent or null: empty, as proto3 reads a repeated field
  }
}

// ---- generators -------------------------------------------------------------------------------

/** Sometimes the right type, sometimes null, sometimes absent, sometimes any other JSON. */
const field = <T>(right: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.jsonValue() });

/** A google.rpc.Status, mostly well-formed. */
const rpcStatus = fc.record(
  {
    code: field(fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constant(0), fc.integer(), fc.double())),
    message: field(fc.string()),
    details: field(fc.array(fc.oneof(fc.record({ '@type': fc.string(), requestId: fc.string() }), fc.jsonValue()), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

/** An Operation message's JSON, mostly of the right shape, with the odd wrong field and extra keys. */
const operationJson = fc
  .tuple(
    fc.record(
      {
        id: field(fc.string({ minLength: 1, maxLength: 24 })),
        description: field(fc.string()),
        createdAt: field(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
        done: field(fc.boolean()),
        metadata: field(fc.jsonValue()),
        response: field(
          fc.record({ '@type': fc.string() }).chain((r) => fc.dictionary(fc.string(), fc.jsonValue()).map((extra) => ({ ...extra, ...r }))),
        ),
        error: field(rpcStatus),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  )
  .map(([operation, extra]) => ({ ...extra, ...operation }) as Record<string, unknown>);

// ---- properties ---------------------------------------------------------------------------------

/**
 * Counts the accepted and the refused inputs of a property, so that a test can check that it
 * tried both: a property that holds because every input was refused proves nothing.
 */
function tally() {
  const seen = { accepted: 0, refused: 0 };
  return {
    decode(json: unknown) {
      const decoded = decodeOrError(json);
      seen[decoded instanceof WireDecodeError ? 'refused' : 'accepted'] += 1;
      return decoded;
    },
    /** Expects at least `share` of the runs accepted and `share` refused. */
    expectBoth(share = 0.05) {
      const runs = seen.accepted + seen.refused;
      expect(seen.accepted, `accepted of ${runs}`).toBeGreaterThanOrEqual(runs * share);
      expect(seen.refused, `refused of ${runs}`).toBeGreaterThanOrEqual(runs * share);
    },
  };
}

describe('decodeOperation', () => {
  test('any JSON value at all (Operation-shaped ones among them): a status that keeps the reference rules, or WireDecodeError; both seen', () => {
    const seen = tally();
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), operationJson), (json) => {
        const decoded = seen.decode(json);
        if (!(decoded instanceof WireDecodeError)) expectReferenceRules(decoded.status);
      }),
      RUNS,
    );
    seen.expectBoth();
  });

  test('any text a server could send, parsed as JSON: the same', () => {
    const seen = tally();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          operationJson.map((json) => JSON.stringify(json)),
        ),
        (text) => {
          const decoded = seen.decode(JSON.parse(text));
          if (!(decoded instanceof WireDecodeError)) expectReferenceRules(decoded.status);
        },
      ),
      RUNS,
    );
    seen.expectBoth();
  });

  test('an Operation-shaped JSON with any field right, wrong, null or absent: the same, and an accepted one is decoded faithfully', () => {
    const seen = tally();
    fc.assert(
      fc.property(operationJson, (json) => {
        const decoded = seen.decode(json);
        if (decoded instanceof WireDecodeError) return;
        expectReferenceRules(decoded.status);
        expectFaithful(json, decoded);
      }),
      RUNS,
    );
    seen.expectBoth();
  });

  test('a well-formed Operation JSON is always accepted', () => {
    const wellFormed = fc.record(
      {
        id: fc.string({ minLength: 1 }),
        done: fc.boolean(),
        metadata: fc.option(fc.jsonValue(), { nil: null }),
        response: fc.option(fc.record({ '@type': fc.string() }), { nil: undefined }),
        error: fc.option(
          fc.record({
            code: fc.integer({ min: 0, max: 16 }),
            message: fc.string(),
            details: fc.array(fc.record({ '@type': fc.string() })),
          }),
          { nil: undefined },
        ),
      },
      { requiredKeys: ['id', 'done'] },
    );
    fc.assert(
      fc.property(wellFormed, (json) => {
        const decoded = decodeOperation(json);
        expectReferenceRules(decoded.status);
        expectFaithful(json, decoded);
      }),
      RUNS,
    );
  });

  test('any JavaScript value a caller could hand to fromOperation (not only JSON): a status that keeps the rules, or WireDecodeError', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withTypedArray: true,
      withSparseArray: true,
      withUnicodeString: true,
    });
    const shaped = fc.record(
      {
        id: fc.oneof(fc.string(), anything),
        done: fc.oneof(fc.boolean(), anything),
        response: anything,
        metadata: anything,
        error: fc.oneof(
          fc.record(
            {
              code: fc.oneof(fc.integer(), anything),
              message: fc.oneof(fc.string(), anything),
              details: fc.oneof(fc.array(anything), anything),
            },
            { requiredKeys: [] },
          ),
          anything,
        ),
      },
      { requiredKeys: [] },
    );
    const seen = tally();
    fc.assert(
      fc.property(fc.oneof(anything, shaped), (value) => {
        const decoded = seen.decode(value);
        if (!(decoded instanceof WireDecodeError)) expectReferenceRules(decoded.status);
      }),
      RUNS,
    );
    seen.expectBoth(0.01);
  });
});

describe('OperationStatus', () => {
  const errorInfo = fc
    .record({ code: fc.integer().filter((c) => c !== 0), message: fc.string(), details: fc.option(fc.array(fc.string()), { nil: null }) })
    .map(({ code, message, details }) => new OperationErrorInfo(code, message, details));

  test('for any done, error, response and metadata, the five properties follow the reference table', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.option(errorInfo, { nil: null }),
        fc.option(fc.jsonValue(), { nil: null }),
        fc.option(fc.jsonValue(), { nil: null }),
        (done, error, response, metadata) => {
          const status = new OperationStatus({ done, error, response, metadata });
          expectReferenceRules(status);
          expect(status).toMatchObject({ done, error, response, metadata });
        },
      ),
      RUNS,
    );
  });

  test('an error while done is still false never makes a status failed; done with neither is none of running, succeeded, failed', () => {
    fc.assert(
      fc.property(errorInfo, fc.option(fc.jsonValue(), { nil: null }), (error, response) => {
        expect(new OperationStatus({ done: false, error, response, metadata: null })).toMatchObject({
          isRunning: true,
          isFailed: false,
          isFinished: false,
        });
        expect(new OperationStatus({ done: true, error: null, response: null, metadata: null })).toMatchObject({
          isRunning: false,
          isSucceeded: false,
          isFailed: false,
          isFinished: false,
        });
      }),
      RUNS,
    );
  });
});
