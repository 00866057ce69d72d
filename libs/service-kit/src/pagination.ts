import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AwsError, invalidParameterValue } from '@lm/contracts';
import { currentOperation } from './operation-scope';

/**
 * NextToken values are opaque to clients: base64url JSON of where the next page starts, bound to
 * the account that asked (a token cannot be replayed by another caller) and to the operation
 * that wrote it (operation-scope.ts: only that list reads it back), and sealed with an HMAC
 * of the service's page token key, so that only a token the service wrote is read back. A forged
 * one (a timestamp that is no timestamp, an object where the query compares a string) would
 * otherwise reach the query and fail it with a 500.
 */
let pageTokenKey: Buffer = randomBytes(32);

/**
 * The key every replica of the service seals its tokens with (the chassis loads it from the
 * service's database at start: see loadPageTokenKey). Until set, a key of this process alone.
 */
export function usePageTokenKey(key: Buffer): void {
  pageTokenKey = key;
}

const MAC_BYTES = 16;
const macOf = (payload: string) => createHmac('sha256', pageTokenKey).update(payload).digest().subarray(0, MAC_BYTES);

function encodePageToken(accountId: string, after: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify({ a: accountId, o: currentOperation(), k: after })).toString('base64url');
  return `${payload}.${macOf(payload).toString('base64url')}`;
}

function decodePageToken<T extends Record<string, unknown>>(
  token: string | undefined,
  accountId: string,
  errorCode = 'InvalidParameterValueException',
): T | undefined {
  if (token === undefined) return undefined;
  const [payload, mac, ...rest] = token.split('.');
  const given = Buffer.from(mac ?? '', 'base64url');
  if (rest.length === 0 && given.length === MAC_BYTES && timingSafeEqual(given, macOf(payload))) {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    // Another list's token holds another key: read by this list's query it would fail it (a 500).
    if (parsed.a === accountId && parsed.o === currentOperation()) return parsed.k as T;
  }
  throw new AwsError(errorCode, 'The NextToken is not valid.');
}

/** MaxResults as the API takes it: at least 1; larger values than the service's page size are capped. */
function pageSize(maxResults: number | undefined, defaultSize: number, maxSize: number): number {
  if (maxResults === undefined) return defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameterValue('MaxResults must be a positive integer.');
  }
  return Math.min(maxResults, maxSize);
}

/** How an operation pages: its default and largest page, and the error a bad token gets. */
export interface PageRules {
  defaultSize: number;
  maxSize: number;
  /** InvalidParameterValueException unless the API names another (KMS: InvalidMarkerException). */
  invalidTokenError?: string;
}

/** One page of a list, keyed by `Key` (the sort key of its last row), with where the next one starts. */
export interface PageCursor<Key extends Record<string, unknown>> {
  /** Rows to show: fetch `limit + 1`, so that one more tells there is a next page. */
  limit: number;
  /** Where this page starts (exclusive), undefined for the first page. */
  after: Key | undefined;
  /** The page of rows fetched with `limit + 1`, and the token of the next page when there is one. */
  cut<Row>(rows: readonly Row[], keyOf: (row: Row) => Key): { items: Row[]; NextToken?: string };
}

/**
 * NextToken/MaxResults paging for a caller's list (KMS's Marker/Limit are passed as the same two
 * members): `const page = pageOf<{ id: string }>(caller.accountId, input, RULES)`, query rows after
 * `page.after` ordered by the key with `limit(page.limit + 1)`, then `page.cut(rows, (r) => ({ id: r.id }))`.
 */
export function pageOf<Key extends Record<string, unknown>>(
  accountId: string,
  request: { NextToken?: string; MaxResults?: number },
  rules: PageRules,
): PageCursor<Key> {
  const limit = pageSize(request.MaxResults, rules.defaultSize, rules.maxSize);
  return {
    limit,
    after: decodePageToken<Key>(request.NextToken, accountId, rules.invalidTokenError),
    cut(rows, keyOf) {
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items,
        NextToken: rows.length > limit && last !== undefined ? encodePageToken(accountId, keyOf(last)) : undefined,
      };
    },
  };
}
