import type { LinuxSubscriptions } from '@lm/api-model';
import { validation } from '@lm/contracts';

export type FilterOperator = LinuxSubscriptions.Operator;

const OPERATORS: readonly FilterOperator[] = ['Equal', 'NotEqual', 'Contains'];

/** A filter of this API's lists, checked: a name the operation documents, an operator, 1 to 100 values. */
export interface CheckedFilter<Name extends string> {
  name: Name;
  operator: FilterOperator;
  values: string[];
}

/**
 * The Filters of ListLinuxSubscriptionInstances and ListLinuxSubscriptions, checked against the
 * names the operation documents (case-sensitive, as the model spells them) and the model's
 * operators; anything else is a ValidationException (the API's only client error).
 */
export function checkedFilters<Name extends string>(
  filters: readonly LinuxSubscriptions.Filter[] | undefined,
  names: readonly Name[],
): CheckedFilter<Name>[] {
  return (filters ?? []).map((filter) => {
    if (filter.Name === undefined || !(names as readonly string[]).includes(filter.Name))
      throw validation(`Filter name ${filter.Name} is not supported. Supported: ${names.join(', ')}.`);
    if (filter.Operator === undefined || !OPERATORS.includes(filter.Operator))
      throw validation(`Filter ${filter.Name} needs an Operator: one of ${OPERATORS.join(', ')}.`);
    const values = filter.Values ?? [];
    if (values.length < 1 || values.length > 100) throw validation(`Filter ${filter.Name} takes from 1 to 100 Values.`);
    return { name: filter.Name as Name, operator: filter.Operator, values };
  });
}

/** MaxResults as this API's lists take it: a positive number, else ValidationException. */
export function pagingOf(input: { MaxResults?: number; NextToken?: string }) {
  if (input.MaxResults !== undefined && (!Number.isInteger(input.MaxResults) || input.MaxResults < 1))
    throw validation('MaxResults must be a positive integer.');
  return input;
}

/** How these lists page: a bad NextToken is a ValidationException. */
export const PAGES = { defaultSize: 100, maxSize: 1000, invalidTokenError: 'ValidationException' };
