import type { LicenseManager } from '@lm/api-model';

/** The resource types automated discovery looks at (ProductInformation's ResourceType). */
export type DiscoveryResourceType = 'SSM_MANAGED' | 'RDS';
export type Comparator = 'EQUALS' | 'NOT_EQUALS';

export const DISCOVERY_RESOURCE_TYPES: { value: DiscoveryResourceType; label: string }[] = [
  { value: 'SSM_MANAGED', label: 'Systems Manager managed instances (SSM_MANAGED)' },
  { value: 'RDS', label: 'Amazon RDS databases (RDS)' },
];

export const COMPARATOR_LABELS: Record<Comparator, string> = { EQUALS: 'Equals', NOT_EQUALS: 'Not equals' };

export interface DiscoveryFilterType {
  /** The API's ProductInformationFilterName; `Tag` stands for `Tag:<key>`. */
  name: string;
  label: string;
  comparators: readonly Comparator[];
  /** The values the API takes, when it takes only some. */
  values?: readonly string[];
  /** An exclusion rule (the guide's "Add exclusion rule"): it needs cross-account discovery. */
  exclusion?: boolean;
}

/**
 * The product information filters of the API model for each resource type, with the comparators and
 * values licensing takes (held to licensing's own table by apps/console/test/product-information.test.ts).
 * The form offers only these; the API checks the rest (RDS products: vCPUs, no rules, no hard limit, alone).
 */
export const DISCOVERY_FILTERS: Record<DiscoveryResourceType, readonly DiscoveryFilterType[]> = {
  SSM_MANAGED: [
    { name: 'Application Name', label: 'Application name', comparators: ['EQUALS'] },
    { name: 'Application Publisher', label: 'Application publisher', comparators: ['EQUALS'] },
    { name: 'Application Version', label: 'Application version', comparators: ['EQUALS'] },
    { name: 'Platform Name', label: 'Platform name', comparators: ['EQUALS'] },
    { name: 'Platform Type', label: 'Platform type', comparators: ['EQUALS'] },
    {
      name: 'License Included',
      label: 'License included',
      comparators: ['EQUALS', 'NOT_EQUALS'],
      values: ['sql-server-enterprise', 'sql-server-standard', 'sql-server-web', 'windows-server-datacenter'],
    },
    { name: 'AccountId', label: 'Account ID (exclusion)', comparators: ['NOT_EQUALS'], exclusion: true },
    { name: 'Tag', label: 'Tag (exclusion)', comparators: ['NOT_EQUALS'], exclusion: true },
  ],
  RDS: [
    {
      name: 'Engine Edition',
      label: 'Engine edition',
      comparators: ['EQUALS'],
      values: ['oracle-ee', 'oracle-se', 'oracle-se1', 'oracle-se2', 'db2-se', 'db2-ae'],
    },
    {
      name: 'License Pack',
      label: 'License pack',
      comparators: ['EQUALS'],
      values: ['data guard', 'diagnostic pack sqlt', 'tuning pack sqlt', 'ols', 'olap'],
    },
  ],
};

export const resourceTypeLabel = (value: string) =>
  DISCOVERY_RESOURCE_TYPES.find((type) => type.value === value)?.label ?? value;

/** A filter in words: "Platform name equals Windows Server 2022", "Tag env not equals test". */
export function filterText(filter: LicenseManager.ProductInformationFilter): string {
  const name = filter.ProductInformationFilterName;
  const known = Object.values(DISCOVERY_FILTERS)
    .flat()
    .find((type) => type.name === name);
  const label = name.startsWith('Tag:') ? `Tag ${name.slice('Tag:'.length)}` : (known?.label ?? name);
  const comparator = COMPARATOR_LABELS[filter.ProductInformationFilterComparator as Comparator]?.toLowerCase();
  const values = filter.ProductInformationFilterValue ?? [];
  return [label, comparator ?? filter.ProductInformationFilterComparator, values.join(' or ')]
    .filter(Boolean)
    .join(' ');
}

/** A rule in words: its resource type, then every filter (all must hold). */
export const productText = (product: LicenseManager.ProductInformation) =>
  `${resourceTypeLabel(product.ResourceType)}: ${product.ProductInformationFilterList.map(filterText).join('; ')}`;
