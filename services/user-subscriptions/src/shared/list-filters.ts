import type { UserSubscriptions } from '@lm/api-model';
import { validation } from '@lm/contracts';
import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * The Filters of this API's lists ({Attribute, Operation, Value}) as [column, value] pairs:
 * `columns` maps the attributes an operation documents to what they filter on. Only equality is
 * served (Operation `eq`, the default): another attribute or operation is a ValidationException.
 */
export function listFilters<Column extends string>(
  filters: readonly UserSubscriptions.Filter[] | undefined,
  columns: Readonly<Record<string, Column>>,
): [Column, string][] {
  return (filters ?? []).map((filter) => {
    const column =
      filter.Attribute !== undefined && Object.hasOwn(columns, filter.Attribute)
        ? columns[filter.Attribute]
        : undefined;
    if (!column)
      throw validation(
        `Filter attribute ${filter.Attribute} is not supported. Supported: ${Object.keys(columns).join(', ')}.`,
      );
    if (filter.Operation !== undefined && filter.Operation.toLowerCase() !== 'eq')
      throw validation(`Filter operation ${filter.Operation} is not supported: use eq.`);
    if (filter.Value === undefined || filter.Value === '')
      throw validation(`Filter ${filter.Attribute} needs a Value.`);
    return [column, filter.Value];
  });
}

/** The filters of the lists of users (ListProductSubscriptions, ListUserAssociations; the model's documentation). */
export const USER_FILTERS = { Status: 'status', Username: 'username', Domain: 'domain' } as const;

/**
 * A list of users' rows that pass `filters` (USER_FILTERS): a status as it is; a logon name or a
 * domain whatever its case, as the directory compares them.
 */
export function whereUserFilters<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  filters: [(typeof USER_FILTERS)[keyof typeof USER_FILTERS], string][],
): SelectQueryBuilder<DB, TB, Row> {
  for (const [column, value] of filters)
    query =
      column === 'status'
        ? query.where(sql.ref('status'), '=', value)
        : query.where(sql`lower(${sql.ref(column)})`, '=', value.toLowerCase());
  return query;
}

/** MaxResults as this API's lists take it: a positive number, else ValidationException (its only client error). */
export function pagingOf(input: { MaxResults?: number; NextToken?: string }): {
  MaxResults?: number;
  NextToken?: string;
} {
  if (input.MaxResults !== undefined && (!Number.isInteger(input.MaxResults) || input.MaxResults < 1))
    throw validation('MaxResults must be a positive integer.');
  return input;
}
