import type { LicenseManager } from '@lm/api-model';
import type { LicenseConfiguration } from '../domain/license-configuration/license-configuration';
import { toTagList } from '../domain/tags';

/** A configuration as the API's LicenseConfiguration shape (list items). */
export function toLicenseConfigurationOutput(c: LicenseConfiguration): LicenseManager.LicenseConfiguration {
  return {
    LicenseConfigurationId: c.id,
    LicenseConfigurationArn: c.arn,
    Name: c.name,
    Description: c.description,
    LicenseCountingType: c.countingType,
    LicenseRules: c.rules,
    LicenseCount: c.licenseCount,
    LicenseCountHardLimit: c.hardLimit,
    DisassociateWhenNotFound: c.disassociateWhenNotFound,
    ConsumedLicenses: 0,
    Status: c.status,
    OwnerAccountId: c.ownerAccountId,
    ConsumedLicenseSummaryList: [],
    ManagedResourceSummaryList: [],
    ProductInformationList: c.productInformationList,
    LicenseExpiry: c.licenseExpiry,
  };
}

/** GetLicenseConfiguration also carries the tags. */
export function toGetLicenseConfigurationOutput(c: LicenseConfiguration): LicenseManager.GetLicenseConfigurationResponse {
  return { ...toLicenseConfigurationOutput(c), Tags: toTagList(c.tags) };
}
