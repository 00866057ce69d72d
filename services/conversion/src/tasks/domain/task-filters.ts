import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue } from '@lm/contracts';
import type { ConversionTaskStatus } from './conversion-task';

const STATUSES: readonly ConversionTaskStatus[] = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'];

/**
 * ListLicenseConversionTasks' filters (the model: ResourceArns and Status): ResourceArns takes one
 * or more ARNs, Status one of the task statuses; each given once.
 */
export function conversionTaskFilters(filters: readonly LicenseManager.Filter[] | undefined): {
  resourceArns?: string[];
  status?: ConversionTaskStatus;
} {
  const criteria: { resourceArns?: string[]; status?: ConversionTaskStatus } = {};
  for (const filter of filters ?? []) {
    const values = filter.Values ?? [];
    if (values.length === 0) throw invalidParameterValue(`Filter ${filter.Name} needs a value.`);
    if (filter.Name === 'ResourceArns' && !criteria.resourceArns) criteria.resourceArns = [...values];
    else if (filter.Name === 'Status' && !criteria.status) {
      const [status] = values;
      if (values.length > 1 || !STATUSES.includes(status as ConversionTaskStatus))
        throw invalidParameterValue(`Filter Status takes one of ${STATUSES.join(', ')}.`);
      criteria.status = status as ConversionTaskStatus;
    } else
      throw invalidParameterValue(
        `Filter name ${filter.Name} is not supported or given twice. Supported: ResourceArns, Status.`,
      );
  }
  return criteria;
}
