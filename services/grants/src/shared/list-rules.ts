import type { FilterRules, PageRules } from '@lm/service-kit';

/** The licence and grant lists: NextToken/MaxResults pages of 100 at most, and 100 when not said. */
export const LIST_PAGES: PageRules = { defaultSize: 100, maxSize: 100 };

/** Their filters take one value each; their models list no FilterLimitExceededException for more. */
export const LIST_FILTERS: FilterRules = { manyValuesError: 'InvalidParameterValueException' };
