import type { ColumnType } from 'kysely';
import type { InventoryViews } from '../../specifications/application/inventory.views';
import type { LicenseConfigurationViews } from '../../configurations/application/license-configuration.views';
import type { ServiceSettingsViews } from '../../settings/application/service-settings.views';
import type { Group } from '../domain/group';
import type { Asset, AssetType } from '../domain/rule-statements';
import type { Ruleset } from '../domain/ruleset';

type Timestamp = ColumnType<Date, string | Date, string | Date>;

/** The function that locks an asset's accounts and reads the groups covering it (migration 008). */
export const COVERING_GROUPS_FUNCTION = 'lock_and_read_covering_groups';

/** An account's asset-groups lock is the advisory lock on hashtext of this and its id. */
export const ACCOUNT_LOCK_PREFIX = 'license-asset-groups:';

/** Custom rulesets (AWS-managed ones are seed data, never rows), folded from their streams. */
export interface LicenseAssetRulesetsTable {
  id: string;
  arn: string;
  owner_account_id: string;
  region: string;
  name: string;
  version: number;
  document: ColumnType<Ruleset, string, string>;
}

/** Groups, folded from their streams. */
export interface LicenseAssetGroupsTable {
  id: string;
  arn: string;
  owner_account_id: string;
  region: string;
  status: string;
  version: number;
  document: ColumnType<Group, string, string>;
}

/** When each group's membership was last worked out (LatestResourceDiscoveryTime, LatestUsageAnalysisTime). */
export interface LicenseAssetGroupDiscoveryTable {
  group_arn: string;
  latest_resource_discovery_time: Timestamp;
  latest_usage_analysis_time: Timestamp;
}

/** Which rulesets each group uses: the ListLicenseAssetGroups filter and the deletion rule read it. */
export interface LicenseAssetGroupRulesetsTable {
  group_arn: string;
  ruleset_arn: string;
}

/** The assets each group's rulesets discover now, and when each was last found. */
export interface LicenseAssetGroupMembersTable {
  group_arn: string;
  asset_type: AssetType;
  asset_arn: string;
  discovered_at: Timestamp;
}

/**
 * The seller-issued licences, as license rules see them (fed by grants' licence events): `asset`
 * is the current version's with `status` as its LicenseStatus (null until a version is known);
 * each part with the stream version of the event that set it.
 */
export interface LicenseAssetLicencesTable {
  license_arn: string;
  issuer_account_id: string;
  asset: ColumnType<Asset | null, string | null, string | null>;
  asset_version: number;
  status: string | null;
  status_version: number;
}

/** The grants of the licences (fed by grants' grant events): to whom, from what, in which status. */
export interface LicenseAssetGrantsTable {
  grant_arn: string;
  license_arn: string | null;
  parent_arn: string | null;
  grantee_account_id: string | null;
  status: string | null;
  status_version: number;
}

export interface AssetGroupsViews extends InventoryViews, LicenseConfigurationViews, ServiceSettingsViews {
  license_asset_rulesets: LicenseAssetRulesetsTable;
  license_asset_groups: LicenseAssetGroupsTable;
  license_asset_group_discovery: LicenseAssetGroupDiscoveryTable;
  license_asset_group_rulesets: LicenseAssetGroupRulesetsTable;
  license_asset_group_members: LicenseAssetGroupMembersTable;
  license_asset_licences: LicenseAssetLicencesTable;
  license_asset_grants: LicenseAssetGrantsTable;
}
