import type { LicenseManager } from '@lm/api-model';
import type { AssetGroupSnapshot, ConfigurationSnapshot } from '../domain/reports';

/** The account whose generator it is, in its Region: licensing answers as it would answer that account. */
export interface ReportOwner {
  accountId: string;
  region: string;
}

/**
 * What reporting reads from licensing, the owner of license configurations, their usage, license
 * asset groups and the service settings (never its tables: it asks it, over NATS).
 */
export interface LicensingReads {
  /** The configuration as GetLicenseConfiguration answers its owner; licensing's modeled error when it has none such. */
  configuration(owner: ReportOwner, arn: string): Promise<ConfigurationSnapshot>;
  /** Every resource associated with the configuration (ListUsageForLicenseConfiguration, all pages). */
  usage(owner: ReportOwner, arn: string): Promise<LicenseManager.LicenseConfigurationUsage[]>;
  /** The group as GetLicenseAssetGroup answers its owner; licensing's modeled error when it has none such. */
  assetGroup(owner: ReportOwner, arn: string): Promise<LicenseManager.GetLicenseAssetGroupResponse>;
  /** Every asset the group discovers (ListAssetsForLicenseAssetGroup, each AssetType, all pages). */
  assetGroupAssets(owner: ReportOwner, arn: string): Promise<AssetGroupSnapshot['assets']>;
  /** The settings' S3BucketArn (UpdateServiceSettings), undefined when none is set. */
  reportsBucketArn(owner: ReportOwner): Promise<string | undefined>;
}

export const LICENSING_READS = Symbol('LicensingReads');
