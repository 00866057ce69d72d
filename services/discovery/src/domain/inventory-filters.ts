import type { LicenseManager } from '@lm/api-model';
import { filterLimitExceeded, invalidParameterValue } from '@lm/contracts';

export type FilterCondition = LicenseManager.InventoryFilterCondition;

/** The most filters one ListResourceInventory request may give (the API sets none; this is ours). */
export const MAX_INVENTORY_FILTERS = 10;

/**
 * The conditions each filter takes: the API documentation's, plus the guide's inventory search
 * (which also offers NOT_EQUALS and CONTAINS on the platform name). `tag:<key>` takes NOT_EQUALS
 * only in the cross-account view, as the API and the guide say.
 */
const CONDITIONS = {
  resource_id: ['EQUALS', 'NOT_EQUALS'],
  account_id: ['EQUALS', 'NOT_EQUALS'],
  platform: ['EQUALS', 'NOT_EQUALS', 'BEGINS_WITH', 'CONTAINS'],
  application_name: ['EQUALS', 'BEGINS_WITH'],
  license_included: ['EQUALS', 'NOT_EQUALS'],
} as const satisfies Record<string, readonly FilterCondition[]>;

const TAG_PREFIX = 'tag:';

/** The values the API documents for license_included. */
export const LICENSE_INCLUDED_VALUES = [
  'sql-server-enterprise',
  'sql-server-standard',
  'sql-server-web',
  'windows-server-datacenter',
];

export type InventoryCriterion =
  | { field: keyof typeof CONDITIONS; condition: FilterCondition; value: string }
  /** Without a value, a tag criterion asks whether the key is there at all. */
  | { field: 'tag'; key: string; condition: FilterCondition; value?: string };

/** Filter checking options: what the caller's view allows. */
export interface FilterOptions {
  crossAccount: boolean;
}

function conditionsOf(name: string, options: FilterOptions): readonly FilterCondition[] | undefined {
  if (name.startsWith(TAG_PREFIX)) return options.crossAccount ? ['EQUALS', 'NOT_EQUALS'] : ['EQUALS'];
  return Object.hasOwn(CONDITIONS, name) ? CONDITIONS[name as keyof typeof CONDITIONS] : undefined;
}

function criterionOf(filter: LicenseManager.InventoryFilter, options: FilterOptions): InventoryCriterion {
  const { Name: name, Condition: condition, Value: value } = filter;
  const allowed = conditionsOf(name, options);
  if (!allowed) {
    throw invalidParameterValue(
      `Filter name ${name} is not supported. Supported: ${[...Object.keys(CONDITIONS), 'tag:<key>'].join(', ')}.`,
    );
  }
  if (!allowed.includes(condition)) {
    const crossAccountOnly = name.startsWith(TAG_PREFIX) && condition === 'NOT_EQUALS';
    throw invalidParameterValue(
      crossAccountOnly
        ? `Filter ${name} takes NOT_EQUALS only with cross-account discovery enabled.`
        : `Filter ${name} takes the condition ${allowed.join(' or ')}, not ${condition}.`,
    );
  }
  if (name.startsWith(TAG_PREFIX)) {
    const key = name.slice(TAG_PREFIX.length);
    if (key.length === 0) throw invalidParameterValue('A tag filter names its key: tag:<key>.');
    return { field: 'tag', key, condition, value };
  }
  if (value === undefined || value === '') throw invalidParameterValue(`Filter ${name} needs a value.`);
  if (name === 'license_included' && !LICENSE_INCLUDED_VALUES.includes(value)) {
    throw invalidParameterValue(`Filter license_included takes ${LICENSE_INCLUDED_VALUES.join(', ')}, not ${value}.`);
  }
  if (name === 'account_id' && !/^\d{12}$/.test(value))
    throw invalidParameterValue(`Filter account_id takes a 12-digit account ID, not ${value}.`);
  return { field: name as keyof typeof CONDITIONS, condition, value };
}

/** Checks ListResourceInventory's filters against the table above; every criterion must hold. */
export function parseInventoryFilters(
  filters: readonly LicenseManager.InventoryFilter[] | undefined,
  options: FilterOptions,
): InventoryCriterion[] {
  const list = filters ?? [];
  if (list.length > MAX_INVENTORY_FILTERS)
    throw filterLimitExceeded(`At most ${MAX_INVENTORY_FILTERS} filters can be given.`);
  return list.map((filter) => criterionOf(filter, options));
}
