/**
 * A failure of the store rather than of what was asked of it: a timeout, a connection
 * refused or cut, a 5xx from DynamoDB, or throttling (which the SDK marks `$retryable`).
 * Asking again later may well succeed: the lookups answer 503 (functions/http/errors.ts), the
 * billing run fails the shard rather than the contract. Read by shape: Node's own errors may
 * come from another realm than this module's Error.
 */
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
  'ServiceUnavailable',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata, $retryable } = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  return (
    (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) ||
    (typeof code === 'string' && UNREACHABLE_CODES.has(code)) ||
    ($metadata?.httpStatusCode ?? 0) >= 500 ||
    $retryable !== undefined
  );
}
