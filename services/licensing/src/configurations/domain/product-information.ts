import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue } from '@lm/contracts';
import type { CountingType } from './license-rules';

type Comparator = 'EQUALS' | 'NOT_EQUALS';

/** Filters of automated discovery and the comparators each takes (API model, ProductInformation). */
const FILTERS: Record<'SSM_MANAGED' | 'RDS', Record<string, readonly Comparator[]>> = {
  SSM_MANAGED: {
    'Application Name': ['EQUALS'],
    'Application Publisher': ['EQUALS'],
    'Application Version': ['EQUALS'],
    'Platform Name': ['EQUALS'],
    'Platform Type': ['EQUALS'],
    AccountId: ['NOT_EQUALS'],
    'License Included': ['EQUALS', 'NOT_EQUALS'],
  },
  RDS: {
    'Engine Edition': ['EQUALS'],
    'License Pack': ['EQUALS'],
  },
};

const FILTER_VALUES: Record<string, readonly string[]> = {
  'License Included': ['sql-server-enterprise', 'sql-server-standard', 'sql-server-web', 'windows-server-datacenter'],
  'Engine Edition': ['oracle-ee', 'oracle-se', 'oracle-se1', 'oracle-se2', 'db2-se', 'db2-ae'],
  'License Pack': ['data guard', 'diagnostic pack sqlt', 'tuning pack sqlt', 'ols', 'olap'],
};

function comparatorsFor(resourceType: 'SSM_MANAGED' | 'RDS', name: string): readonly Comparator[] | undefined {
  // Tag:<key> excludes resources carrying that tag from discovery.
  if (resourceType === 'SSM_MANAGED' && /^Tag:.+/.test(name)) return ['NOT_EQUALS'];
  return FILTERS[resourceType][name];
}

/**
 * Validates the product information used by automated discovery, with the constraints the
 * guide puts on RDS products: vCPU counting only, no rules, no hard limit, and no mixing
 * with other resource types in one configuration.
 */
export function validateProductInformation(
  list: readonly LicenseManager.ProductInformation[],
  configuration: { countingType: CountingType; rules: readonly string[]; hardLimit: boolean },
): void {
  for (const product of list) {
    const resourceType = product.ResourceType;
    if (resourceType !== 'SSM_MANAGED' && resourceType !== 'RDS') {
      throw invalidParameterValue(`ResourceType ${resourceType} is not valid. Valid values: SSM_MANAGED, RDS.`);
    }
    if (product.ProductInformationFilterList.length === 0) {
      throw invalidParameterValue('ProductInformationFilterList must contain at least one filter.');
    }
    for (const filter of product.ProductInformationFilterList) {
      const name = filter.ProductInformationFilterName;
      const comparators = comparatorsFor(resourceType, name);
      if (!comparators)
        throw invalidParameterValue(`Product information filter ${name} is not valid for ${resourceType}.`);
      if (!comparators.includes(filter.ProductInformationFilterComparator as Comparator)) {
        throw invalidParameterValue(`Filter ${name} takes the comparator ${comparators.join(' or ')}.`);
      }
      const allowedValues = FILTER_VALUES[name];
      for (const value of filter.ProductInformationFilterValue ?? []) {
        if (allowedValues && !allowedValues.includes(value)) {
          throw invalidParameterValue(
            `Value ${value} is not valid for filter ${name}. Valid values: ${allowedValues.join(', ')}.`,
          );
        }
      }
      if (!name.startsWith('Tag:') && (filter.ProductInformationFilterValue ?? []).length === 0) {
        throw invalidParameterValue(`Filter ${name} needs at least one value.`);
      }
    }
  }
  const types = new Set(list.map((product) => product.ResourceType));
  if (types.has('RDS')) {
    if (types.size > 1)
      throw invalidParameterValue('RDS products cannot be combined with other products in one license configuration.');
    if (configuration.countingType !== 'vCPU') throw invalidParameterValue('RDS products are counted by vCPU only.');
    if (configuration.rules.length > 0)
      throw invalidParameterValue('License rules are not supported for RDS products.');
    if (configuration.hardLimit) throw invalidParameterValue('A hard limit is not supported for RDS products.');
  }
}
