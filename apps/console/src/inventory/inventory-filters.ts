import type { LicenseManager } from '@lm/api-model';

export type Condition = LicenseManager.InventoryFilterCondition;

/** A filter row as the form holds it: `tag` names the key in `tagKey` (the API's `tag:<key>`). */
export interface FilterRow {
  name: string;
  condition: Condition;
  value: string;
  tagKey: string;
}

export interface FilterType {
  name: string;
  label: string;
  conditions: readonly Condition[];
  /** The guide's supported values, offered as a list; none: any text. */
  values?: { value: string; label: string }[];
}

/**
 * The guide's inventory search filters for Amazon EC2 resources, with their logical operators (Tag's
 * "Not equals" is taken only with cross-account discovery enabled: the API says so if not).
 */
export const FILTER_TYPES: readonly FilterType[] = [
  { name: 'resource_id', label: 'Resource ID', conditions: ['EQUALS', 'NOT_EQUALS'] },
  { name: 'account_id', label: 'Account ID', conditions: ['EQUALS', 'NOT_EQUALS'] },
  { name: 'platform', label: 'Platform name', conditions: ['EQUALS', 'NOT_EQUALS', 'BEGINS_WITH', 'CONTAINS'] },
  { name: 'application_name', label: 'Application name', conditions: ['EQUALS', 'BEGINS_WITH'] },
  {
    name: 'license_included',
    label: 'License included name',
    conditions: ['EQUALS', 'NOT_EQUALS'],
    values: [
      { value: 'sql-server-enterprise', label: 'SQL Server Enterprise' },
      { value: 'sql-server-standard', label: 'SQL Server Standard' },
      { value: 'sql-server-web', label: 'SQL Server Web' },
      { value: 'windows-server-datacenter', label: 'Windows Server Datacenter' },
    ],
  },
  { name: 'tag', label: 'Tag', conditions: ['EQUALS', 'NOT_EQUALS'] },
];

export const CONDITION_LABELS: Record<Condition, string> = {
  EQUALS: 'Equals',
  NOT_EQUALS: 'Not equals',
  BEGINS_WITH: 'Begins with',
  CONTAINS: 'Contains',
};

export const filterType = (name: string) => FILTER_TYPES.find((type) => type.name === name) ?? FILTER_TYPES[0];

export const newFilterRow = (name = FILTER_TYPES[0].name): FilterRow => ({
  name,
  condition: filterType(name).conditions[0],
  value: filterType(name).values?.[0].value ?? '',
  tagKey: '',
});

/** The rows as ListResourceInventory takes them; a tag filter without a value asks for the key alone. */
export function inventoryFilters(rows: readonly FilterRow[]): LicenseManager.InventoryFilter[] {
  return rows.map((row) =>
    row.name === 'tag'
      ? { Name: `tag:${row.tagKey.trim()}`, Condition: row.condition, Value: row.value.trim() || undefined }
      : { Name: row.name, Condition: row.condition, Value: row.value.trim() },
  );
}
