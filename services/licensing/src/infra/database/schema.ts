import type { ColumnType, Generated } from 'kysely';
import type { LicenseConfiguration } from '../../domain/license-configuration/license-configuration';

/** PostgreSQL schema that holds the licensing service's event store and read models. */
export const LICENSING_SCHEMA = 'licensing';

/** Read model of license configurations: the aggregate's folded state plus columns to filter on. */
export interface LicenseConfigurationsTable {
  id: string;
  owner_account_id: string;
  region: string;
  counting_type: string;
  hard_limit: boolean;
  status: string;
  usage_limit_exceeded: Generated<boolean>;
  created_at: ColumnType<Date, string, string>;
  /** Version of the aggregate stream the row reflects (for idempotent projection). */
  version: number;
  document: ColumnType<LicenseConfiguration, string, string>;
}

/** How many configurations each account has in each region, for the quota. */
export interface LicenseConfigurationCountsTable {
  owner_account_id: string;
  region: string;
  count: number;
}

export interface LicensingDatabase {
  license_configurations: LicenseConfigurationsTable;
  license_configuration_counts: LicenseConfigurationCountsTable;
}
