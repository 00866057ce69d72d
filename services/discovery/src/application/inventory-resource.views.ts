import type { ColumnType } from 'kysely';
import type { InventoryResource } from '../../domain/inventory-resource/inventory-resource';
import type { ResourceType } from '../../domain/inventory-resource/resource-types';

/** PostgreSQL schema that holds the discovery service's event store and read models. */
export const DISCOVERY_SCHEMA = 'discovery';

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

/**
 * The licensing service's settings (per account and Region) that decide what the inventory
 * shows, as its ServiceSettingsUpdated events last said them.
 */
export interface ServiceSettingsTable {
  account_id: string;
  region: string;
  organization_id: string | null;
  enable_cross_accounts_discovery: boolean;
  organization_integration: boolean;
  /** When licensing recorded the event: an older event never overwrites a newer one. */
  recorded_at: ColumnType<Date, string, string>;
}

export interface DiscoveryDatabase {
  inventory_resources: InventoryResourcesTable;
  service_settings: ServiceSettingsTable;
}
