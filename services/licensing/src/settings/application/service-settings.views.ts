import type { ColumnType } from 'kysely';

/** Each account's settings as far as automated discovery needs them. */
export interface ServiceSettingsTable {
  account_id: string;
  region: string;
  cross_account_discovery: boolean;
  member_account_ids: ColumnType<string[], string, string>;
}

/** The settings slice's view, as Kysely sees it. */
export interface ServiceSettingsViews {
  service_settings: ServiceSettingsTable;
}
