import { AwsError, filterLimitExceeded, invalidParameterValue } from '@lm/contracts';

/** A filter of a List operation as the license-manager API takes it. */
export interface NamedFilter {
  Name?: string;
  Values?: string[];
}

export interface FilterRules {
  /** At most this many filters (FilterLimitExceededException beyond); unlimited when not given. */
  maxFilters?: number;
  /** The error for more than one value: FilterLimitExceededException unless the operation's model lacks it. */
  manyValuesError?: 'FilterLimitExceededException' | 'InvalidParameterValueException';
}

/**
 * The filters of a list, each with the one value the API documents, as [column, value] pairs.
 * `columns` maps the filter names the operation takes (case-sensitive) to what they filter on;
 * another name, a filter without a value, or too many filters or values are refused.
 */
export function singleValueFilters<Column extends string>(
  filters: readonly NamedFilter[] | undefined,
  columns: Readonly<Record<string, Column>>,
  rules: FilterRules = {},
): [Column, string][] {
  const given = filters ?? [];
  if (rules.maxFilters !== undefined && given.length > rules.maxFilters) {
    throw filterLimitExceeded(`At most ${rules.maxFilters} filters can be given.`);
  }
  return given.map((filter) => {
    const column = filter.Name !== undefined && Object.hasOwn(columns, filter.Name) ? columns[filter.Name] : undefined;
    if (!column) {
      throw invalidParameterValue(
        `Filter name ${filter.Name} is not supported. Supported: ${Object.keys(columns).join(', ')}.`,
      );
    }
    const values = filter.Values ?? [];
    if (values.length === 0) throw invalidParameterValue(`Filter ${filter.Name} needs a value.`);
    if (values.length > 1) {
      throw new AwsError(
        rules.manyValuesError ?? 'FilterLimitExceededException',
        `Filter ${filter.Name} takes one value.`,
      );
    }
    return [column, values[0]];
  });
}
