/**
 * Checks of what callers hand to the emulator, run on the caller's thread so that a mistake
 * throws there and names the field: a `TypeError` for a wrong type, a missing or unknown field,
 * or fields that cannot go together, a `RangeError` for a value out of range.
 */
import type { EmulatorOptions, Fault, OperationScript, RpcStatus } from './script';

type TypeName = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'any';

/** How one field is checked: its type, then its range. */
interface Check {
  type: TypeName;
  /** What a valid value is, for the messages. */
  expected: string;
  inRange?: (value: never) => boolean;
  required?: boolean;
  /** Checks of the fields of an object value. */
  fields?: FieldChecks<object>;
}

type FieldChecks<T> = { readonly [K in keyof Required<T>]: Check };

const isInteger = (value: number) => Number.isInteger(value);

const STRING: Check = { type: 'string', expected: 'a string' };
const NON_EMPTY_STRING: Check = { type: 'string', expected: 'a non-empty string', inRange: (v: string) => v !== '' };
const BOOLEAN: Check = { type: 'boolean', expected: 'a boolean' };
const ANY: Check = { type: 'any', expected: 'any value' };
const ARRAY: Check = { type: 'array', expected: 'an array' };
const SECONDS: Check = {
  type: 'number',
  expected: 'a finite number of seconds >= 0',
  inRange: (v: number) => Number.isFinite(v) && v >= 0,
};

const RPC_STATUS_FIELDS: FieldChecks<RpcStatus> = {
  code: { type: 'number', expected: 'an integer', inRange: isInteger, required: true },
  message: { ...STRING, required: true },
  details: ARRAY,
};
const RPC_STATUS: Check = { type: 'object', expected: 'a google.rpc.Status', fields: RPC_STATUS_FIELDS };

const FAULT_FIELDS: FieldChecks<Fault> = {
  times: {
    type: 'number',
    expected: 'a positive integer or Infinity',
    inRange: (v: number) => v === Infinity || (isInteger(v) && v > 0),
  },
  latency: SECONDS,
  status: { type: 'number', expected: 'an HTTP status (200..599)', inRange: (v: number) => isInteger(v) && v >= 200 && v <= 599 },
  grpcCode: { type: 'number', expected: 'an integer >= 0', inRange: (v: number) => isInteger(v) && v >= 0 },
  message: STRING,
  retryAfter: STRING,
  body: STRING,
  contentType: NON_EMPTY_STRING,
  reset: {
    type: 'string',
    expected: '"before-response" or "mid-response"',
    inRange: (v: string) => v === 'before-response' || v === 'mid-response',
  },
  hang: BOOLEAN,
  malformed: BOOLEAN,
};

const SCRIPT_FIELDS: FieldChecks<OperationScript> = {
  description: STRING,
  donePolls: { type: 'number', expected: 'a positive integer', inRange: (v: number) => isInteger(v) && v > 0 },
  doneAfter: SECONDS,
  never: BOOLEAN,
  response: ANY,
  error: RPC_STATUS,
  neither: BOOLEAN,
  runningError: RPC_STATUS,
  metadata: ARRAY,
  faults: ARRAY,
};

const OPTION_FIELDS: FieldChecks<EmulatorOptions> = {
  port: { type: 'number', expected: 'a port number (0..65535)', inRange: (v: number) => isInteger(v) && v >= 0 && v <= 65535 },
  grpc: BOOLEAN,
  grpcPort: { type: 'number', expected: 'a port number (0..65535)', inRange: (v: number) => isInteger(v) && v >= 0 && v <= 65535 },
  apiKey: NON_EMPTY_STRING,
  iamToken: NON_EMPTY_STRING,
  requestLogLimit: { type: 'number', expected: 'an integer >= 0', inRange: (v: number) => isInteger(v) && v >= 0 },
};

/** Sets of fields of which a script gives at most one. */
const SCRIPT_EXCLUSIVE: readonly (readonly (keyof OperationScript)[])[] = [
  ['donePolls', 'doneAfter', 'never'],
  ['response', 'error', 'neither'],
];

/** A fault's actions, of which it gives at most one; each action is one or more fields. */
const FAULT_ACTIONS: readonly (readonly (keyof Fault)[])[] = [['hang'], ['reset'], ['malformed'], ['status', 'grpcCode', 'body']];

/** Fault fields that mean something only with one of the listed fields. */
const FAULT_NEEDS: Partial<Record<keyof Fault, readonly (keyof Fault)[]>> = {
  message: ['status', 'grpcCode'],
  retryAfter: ['status', 'grpcCode', 'body'],
  contentType: ['body'],
};

/** Throws unless `options` are valid {@link EmulatorOptions}. */
export function validateOptions(options: unknown): asserts options is EmulatorOptions {
  checkObject('options', options, OPTION_FIELDS);
}

/** Throws unless `script` is a valid {@link OperationScript}, faults included. */
export function validateScript(script: unknown): asserts script is OperationScript {
  checkObject('script', script, SCRIPT_FIELDS);
  for (const fields of SCRIPT_EXCLUSIVE) {
    checkAtMostOne(
      'script',
      script,
      fields.map((field) => [field]),
    );
  }
  script.faults?.forEach((fault, index) => {
    validateFault(`script.faults[${index}]`, fault);
  });
}

function validateFault(path: string, fault: unknown): void {
  checkObject(path, fault, FAULT_FIELDS);
  checkAtMostOne(path, fault, FAULT_ACTIONS);
  for (const [field, needs] of Object.entries(FAULT_NEEDS)) {
    if (isGiven(fault, field) && !needs.some((need) => isGiven(fault, need))) {
      throw new TypeError(`${path}.${field} needs one of ${needs.join(', ')}`);
    }
  }
}

function checkObject<T extends object>(path: string, value: unknown, fields: FieldChecks<T>): asserts value is T {
  if (typeName(value) !== 'object') throw new TypeError(`${path} must be an object, got ${show(value)}`);
  const checks: Record<string, Check> = fields;
  for (const name of Object.keys(value as object)) {
    if (!Object.hasOwn(checks, name)) {
      throw new TypeError(`${path}.${name} is not a known field (known: ${Object.keys(checks).join(', ')})`);
    }
  }
  for (const [name, check] of Object.entries(checks)) {
    checkValue(`${path}.${name}`, (value as Record<string, unknown>)[name], check);
  }
}

function checkValue(path: string, value: unknown, check: Check): void {
  if (value === undefined) {
    if (check.required) throw new TypeError(`${path} is required`);
    return;
  }
  if (check.type !== 'any' && typeName(value) !== check.type) {
    throw new TypeError(`${path} must be ${check.expected}, got ${show(value)}`);
  }
  if (check.inRange && !check.inRange(value as never)) {
    throw new RangeError(`${path} must be ${check.expected}, got ${show(value)}`);
  }
  if (check.fields) checkObject(path, value, check.fields);
}

/** Throws when `value` gives fields of more than one of `groups`. */
function checkAtMostOne(path: string, value: object, groups: readonly (readonly string[])[]): void {
  const given = groups.filter((group) => group.some((field) => isGiven(value, field)));
  if (given.length > 1) {
    const names = given.map((group) => group.filter((field) => isGiven(value, field)).join('/'));
    throw new TypeError(`${path} cannot combine ${names.join(' and ')}`);
  }
}

/** A field counts as given unless it is absent, `undefined` or `false`. */
function isGiven(value: object, field: string): boolean {
  const fieldValue = (value as Record<string, unknown>)[field];
  return fieldValue !== undefined && fieldValue !== false;
}

function typeName(value: unknown): TypeName | 'null' | 'other' {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : 'other';
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}
