/**
 * The one place `yc-operation/bullmq` takes the plain-data form of errors from: a failed job
 * stores its error this way, and the reader rebuilds it as the same class with the same fields.
 */

export type { ErrorData } from 'yc-operation';
export { errorFromData, errorToData } from 'yc-operation';
