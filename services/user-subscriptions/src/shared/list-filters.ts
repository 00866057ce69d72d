import type { UserSubscriptions } from '@lm/api-model';
import { validation } from '@lm/contracts';

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

/** MaxResults as this API's lists take it: a positive number, else ValidationException (its only client error). */
export function pagingOf(input: { MaxResults?: number; NextToken?: string }): {
  MaxResults?: number;
  NextToken?: string;
} {
  if (input.MaxResults !== undefined && (!Number.isInteger(input.MaxResults) || input.MaxResults < 1))
    throw validation('MaxResults must be a positive integer.');
  return input;
}
