/** What a bare credential string is, told by its shape as the reference tells it (docs/wire.md). */

/** The kinds of credential a string (or an environment variable) can hold. */
export type CredentialKind = 'api-key' | 'iam-token' | 'oauth';

/** Prefixes that mark a kind; anything else is an API key. */
const SHAPES: ReadonlyArray<readonly [RegExp, CredentialKind]> = [
  [/^t\d\./, 'iam-token'], // t1.xxx
  [/^y[0-3]_/, 'oauth'], // y0_xxx .. y3_xxx
];

/** The kind of a bare credential string: `t1.`-style is an IAM token, `y0_`..`y3_` OAuth, else an API key. */
export function classifySecret(secret: string): CredentialKind {
  return SHAPES.find(([shape]) => shape.test(secret))?.[1] ?? 'api-key';
}
