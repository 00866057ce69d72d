import type { LicenseManager } from '@lm/api-model';
import type { LicenseConfiguration } from '../domain/license-configuration';
import type { ConsumptionSummary } from './consumption-summaries';
import { toTagList } from '../domain/tags';

/** A configuration as the API's LicenseConfiguration shape (list items). */
export function toLicenseConfigurationOutput(
  c: LicenseConfiguration,
  consumption: ConsumptionSummary,
): LicenseManager.LicenseConfiguration {
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
    ConsumedLicenses: consumption.consumedLicenses,
    Status: c.status,
    OwnerAccountId: c.ownerAccountId,
    ConsumedLicenseSummaryList: [...consumption.consumedByType].map(([ResourceType, ConsumedLicenses]) => ({
      ResourceType,
      ConsumedLicenses,
    })),
    ManagedResourceSummaryList: [...consumption.associationsByType].map(([ResourceType, AssociationCount]) => ({
      ResourceType,
      AssociationCount,
    })),
    ProductInformationList: c.productInformationList,
    LicenseExpiry: c.licenseExpiry,
  };
}

/** GetLicenseConfiguration also carries the tags. */
export function toGetLicenseConfigurationOutput(
  c: LicenseConfiguration,
  consumption: ConsumptionSummary,
): LicenseManager.GetLicenseConfigurationResponse {
  return { ...toLicenseConfigurationOutput(c, consumption), Tags: toTagList(c.tags) };
}
