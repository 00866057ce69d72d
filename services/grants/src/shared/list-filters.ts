import type { LicenseManager } from '@lm/api-model';
import { decodePageToken, encodePageToken, pageSize } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import type { Caller } from '@lm/contracts';
import { invalidParameter } from '../licenses/domain/errors';

/**
 * The filters of a list, each with the one value the API documents, as [column, value] pairs.
 * `columns` maps the filter names the operation takes (case-sensitive) to what they filter on.
 */
export function singleValueFilters<Column extends string>(
  filters: LicenseManager.Filter[] | undefined,
  columns: Record<string, Column>,
): [Column, string][] {
  return (filters ?? []).map((filter) => {
    const column = filter.Name !== undefined ? columns[filter.Name] : undefined;
    if (!column)
      throw invalidParameter(
        `Filter name ${filter.Name} is not supported. Supported: ${Object.keys(columns).join(', ')}.`,
      );
    const values = filter.Values ?? [];
    if (values.length !== 1)
      throw new AwsError('InvalidParameterValueException', `Filter ${filter.Name} takes exactly one value.`);
    return [column, values[0]];
  });
}

const PAGE_SIZE = 100;

/** One page of a list: its size, where it starts, and how to say where the next one starts. */
export function pageOf<Key extends Record<string, unknown>>(
  caller: Caller,
  input: { NextToken?: string; MaxResults?: number },
) {
  const limit = pageSize(input.MaxResults, PAGE_SIZE, PAGE_SIZE);
  return {
    limit,
    after: decodePageToken<Key>(input.NextToken, caller.accountId),
    /** Rows fetched with limit + 1: the page, and the token of the next page when there is one. */
    cut<Row>(rows: Row[], keyOf: (row: Row) => Key): { page: Row[]; nextToken?: string } {
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        page,
        nextToken: rows.length > limit && last ? encodePageToken(caller.accountId, keyOf(last)) : undefined,
      };
    },
  };
}
