/** `--output yaml`'s writer (src/cli/yaml.ts): what a YAML reader reads back is the JSON data. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from '../src/cli/yaml';

describe('toYaml', () => {
  test('a status in its wire form reads as block YAML', () => {
    const wire = {
      id: 'd7qabc',
      done: true,
      metadata: null,
      error: {
        code: 9,
        message: 'No rows: "reviews.jsonl"',
        details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [] }],
      },
      response: { list: [1, 'two', [3, {}], { nested: { deep: true } }], empty: {} },
    };
    expect(toYaml(wire)).toBe(
      [
        'id: d7qabc',
        'done: true',
        'metadata: null',
        'error:',
        '  code: 9',
        '  message: "No rows: \\"reviews.jsonl\\""',
        '  details:',
        '  - "@type": type.googleapis.com/google.rpc.BadRequest',
        '    fieldViolations: []',
        'response:',
        '  list:',
        '  - 1',
        '  - two',
        '  - - 3',
        '    - {}',
        '  - nested:',
        '      deep: true',
        '  empty: {}',
      ].join('\n'),
    );
    expect(parse(toYaml(wire))).toEqual(wire);
  });

  test.each([
    'yes',
    'No',
    'on',
    'y',
    'null',
    '~',
    'true',
    '12',
    '1e3',
    '0x1f',
    '2024-05-12',
    '1:20',
    '',
    ' padded',
    'a: b',
    'a #b',
    '-',
    '@type',
    'line\nbreak',
  ])('quotes %j, which a YAML 1.1 or 1.2 reader would take for something else', (value) => {
    expect(toYaml({ value })).toBe(`value: ${JSON.stringify(value)}`);
    expect(parse(toYaml({ value }), { version: '1.1' })).toEqual({ value });
  });

  test('leaves out what JSON leaves out, and writes what JSON writes for the rest', () => {
    expect(toYaml({ a: undefined, b: Number.NaN, c: new Date(0) })).toBe('b: null\nc: "1970-01-01T00:00:00.000Z"');
    expect(toYaml(undefined)).toBe('null');
  });

  test('any JSON value reads back equal (fast-check, YAML 1.2)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(parse(toYaml(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });
});
