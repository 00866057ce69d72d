import { AwsError, invalidParameterValue } from '@lm/contracts';

/**
 * NextToken values are opaque to clients: base64url JSON of where the next page starts, bound
 * to the account that asked so that a token cannot be replayed by another caller.
 */
function encodePageToken(accountId: string, after: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ a: accountId, k: after })).toString('base64url');
}

function decodePageToken<T extends Record<string, unknown>>(
  token: string | undefined,
  accountId: string,
  errorCode = 'InvalidParameterValueException',
): T | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed && parsed.a === accountId && isPageKey(parsed.k)) return parsed.k as T;
  } catch {
    // fall through to the error below
  }
  throw new AwsError(errorCode, 'The NextToken is not valid.');
}

/**
 * A token is the client's to forge: only the form cut() writes is read back, a flat object of a
 * few scalars a query can compare (strings PostgreSQL can hold, integers a double holds exactly),
 * never objects, U+0000 or huge numbers that would fail the query with a 500.
 */
function isPageKey(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.values(value);
  return (
    entries.length <= MAX_KEY_PARTS &&
    entries.every(
      (part) =>
        part === null ||
        typeof part === 'boolean' ||
        Number.isSafeInteger(part) ||
        (typeof part === 'string' && part.length <= MAX_KEY_PART_LENGTH && !part.includes('\u0000')),
    )
  );
}

const MAX_KEY_PARTS = 8;
const MAX_KEY_PART_LENGTH = 2048;

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
