import type { ColumnType } from 'kysely';
import type { ResourceFacts } from '../../shared/resource';

/** The inventory as licensing knows it, from the discovery service's events. */
export interface ResourcesTable {
  resource_arn: string;
  account_id: string;
  region: string;
  resource_type: string;
  state: string;
  active: boolean;
  observed_at: ColumnType<Date, string, string>;
  facts: ColumnType<ResourceFacts, string, string>;
}

/** Licensing's copy of the inventory, as Kysely sees it. */
export interface InventoryViews {
  resources: ResourcesTable;
}
