import type { ColumnType } from 'kysely';
import type { InventoryResource } from '../domain/inventory-resource/inventory-resource';
import type { ResourceType } from '../domain/inventory-resource/resource-types';

/** Read model of the inventory: each resource's folded state, plus columns to filter on. */
export interface InventoryResourcesTable {
  account_id: string;
  region: string;
  resource_type: ResourceType;
  resource_id: string;
  resource_arn: string;
  state: string;
  platform: string | null;
  application_names: string[];
  license_included: string[];
  tags: ColumnType<Record<string, string>, string, string>;
  active: boolean;
  /** Active and still existing: what ListResourceInventory shows. */
  listed: boolean;
  last_observed_at: ColumnType<Date, string, string>;
  /** Version of the resource's stream the row reflects (for idempotent projection). */
  version: number;
  document: ColumnType<InventoryResource, string, string>;
}

/** The inventory's views, as Kysely sees them. */
export interface InventoryResourceViews {
  inventory_resources: InventoryResourcesTable;
}
