import type { ColumnType } from 'kysely';
import type { DiscoverySettings } from '../domain/discovery-settings';

type Json<T> = ColumnType<T, string, string>;

/** discovery_settings: each account's Linux subscriptions settings, as GetServiceSettings and the lookup read them. */
export interface DiscoverySettingsTable {
  account_id: string;
  discovery: 'Enabled' | 'Disabled';
  /** The accounts whose instances its discovery covers (none while disabled): the lookup's index. */
  covered_account_ids: string[];
  /** A step is still pending: the steps' sweep looks for these. */
  pending: boolean;
  updated_at: ColumnType<Date, string, string>;
  /** Version of its stream the row reflects (for an idempotent projection). */
  stream_version: number;
  state: Json<DiscoverySettings>;
}

/** Whether a management account linked its organization (licensing's settings, per account and Region). */
export interface OrganizationLinksTable {
  account_id: string;
  region: string;
  organization_id: string | null;
  organization_integration: boolean;
  recorded_at: ColumnType<Date, string, string>;
}

export interface DiscoverySettingsViews {
  discovery_settings: DiscoverySettingsTable;
  organization_links: OrganizationLinksTable;
}
