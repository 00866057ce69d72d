import type { Caller } from '@lm/contracts';
import { pageOf, type PageRules } from '@lm/service-kit';
import { sql, type SelectQueryBuilder } from 'kysely';
import { pagingOf } from './list-filters';

/** This API's lists: 50 a page by default, 100 at most; a NextToken that is not one is a ValidationException. */
export const LIST_PAGES: PageRules = { defaultSize: 50, maxSize: 100, invalidTokenError: 'ValidationException' };

/** The column a view's list is ordered by, then by ARN; the page token names it as its key (`createdAt`, `requestedAt`). */
export type ListOrder = 'created_at' | 'requested_at';
const TOKEN_KEYS = { created_at: 'createdAt', requested_at: 'requestedAt' } as const;

/**
 * One page of a list read from a view: `query` selects the caller's rows (`arn`, `state`, the whole
 * resource, and the `orderedBy` column) with the list's filters; the page is them in the order of
 * `orderedBy` then ARN, after the NextToken's row, with the NextToken of the next page.
 */
export async function listedPage<
  DB,
  TB extends keyof DB,
  Row extends { arn: string; state: unknown } & Partial<Record<ListOrder, Date>>,
>(
  caller: Caller,
  input: { MaxResults?: number; NextToken?: string },
  query: SelectQueryBuilder<DB, TB, Row>,
  orderedBy: ListOrder,
): Promise<{ items: Row['state'][]; NextToken?: string }> {
  const tokenKey = TOKEN_KEYS[orderedBy];
  const page = pageOf<Record<string, string>>(caller.accountId, pagingOf(input), LIST_PAGES);
  const ordered = sql.ref<Date>(orderedBy);
  if (page.after) {
    const at = new Date(page.after[tokenKey]);
    const arn = page.after.arn;
    query = query.where((eb) =>
      eb.or([eb(ordered, '>', at), eb.and([eb(ordered, '=', at), eb(sql.ref<string>('arn'), '>', arn)])]),
    );
  }
  const rows = await query
    .orderBy(ordered)
    .orderBy(sql.ref('arn'))
    .limit(page.limit + 1)
    .execute();
  const { items, NextToken } = page.cut(rows, (row) => ({
    // The query selects the orderedBy column (see above).
    [tokenKey]: row[orderedBy]!.toISOString(),
    arn: row.arn,
  }));
  return { items: items.map((row) => row.state), NextToken };
}
