import type { ColumnType } from 'kysely';
import type { LicenseConfiguration } from '../domain/license-configuration';

/** Read model of license configurations: the aggregate's folded state plus columns to filter on. */
export interface LicenseConfigurationsTable {
  id: string;
  owner_account_id: string;
  region: string;
  counting_type: string;
  hard_limit: boolean;
  status: string;
  created_at: ColumnType<Date, string, string>;
  /** Version of the aggregate stream the row reflects (for idempotent projection). */
  version: number;
  /** The configuration's settings; its associations are rows of license_configuration_associations. */
  document: ColumnType<LicenseConfiguration, string, string>;
}

/** How many configurations each account has in each region, for the quota. */
export interface LicenseConfigurationCountsTable {
  owner_account_id: string;
  region: string;
  count: number;
}

/** One row per resource associated with a configuration, for the association and usage lists. */
export interface LicenseConfigurationAssociationsTable {
  configuration_id: string;
  resource_arn: string;
  resource_type: string;
  resource_owner_id: string;
  associated_at: ColumnType<Date, string, string>;
  ami_association_scope: string | null;
  consumed_licenses: number;
  consumption_key: string;
  affinity_hold_until: ColumnType<Date | null, string | null | undefined, string | null>;
}

/** Refused operations on a configuration (launches, automatic associations), for ListFailures. */
export interface LicenseOperationFailuresTable {
  configuration_id: string;
  stream_version: number;
  operation_name: string;
  resource_arn: string;
  resource_type: string;
  resource_owner_id: string;
  error_message: string;
  requested_by: string;
  failed_at: ColumnType<Date, string, string>;
}

/** The configurations slice's views (configurations, their associations and failures), as Kysely sees them. */
export interface LicenseConfigurationViews {
  license_configurations: LicenseConfigurationsTable;
  license_configuration_counts: LicenseConfigurationCountsTable;
  license_configuration_associations: LicenseConfigurationAssociationsTable;
  license_operation_failures: LicenseOperationFailuresTable;
}
