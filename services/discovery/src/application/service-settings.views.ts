import type { ColumnType } from 'kysely';

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

/** The followed settings' view, as Kysely sees it. */
export interface ServiceSettingsViews {
  service_settings: ServiceSettingsTable;
}
