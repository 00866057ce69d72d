import { AwsError } from '@lm/contracts';

/**
 * NextToken values are opaque to clients: base64url JSON of where the next page starts, bound
 * to the account that asked so that a token cannot be replayed by another caller.
 */
export function encodePageToken(accountId: string, after: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ a: accountId, k: after })).toString('base64url');
}

export function decodePageToken<T extends Record<string, unknown>>(
  token: string | undefined,
  accountId: string,
  errorCode = 'InvalidParameterValueException',
): T | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed && parsed.a === accountId && parsed.k && typeof parsed.k === 'object') return parsed.k as T;
  } catch {
    // fall through to the error below
  }
  throw new AwsError(errorCode, 'The NextToken is not valid.');
}

/** MaxResults as the API takes it: at least 1; larger values than the service's page size are capped. */
export function pageSize(maxResults: number | undefined, defaultSize: number, maxSize: number): number {
  if (maxResults === undefined) return defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw new AwsError('InvalidParameterValueException', 'MaxResults must be a positive integer.');
  }
  return Math.min(maxResults, maxSize);
}
