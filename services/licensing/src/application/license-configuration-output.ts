import type { LicenseManager } from '@lm/api-model';
import {
  consumedLicenses,
  type Association,
  type LicenseConfigurationAggregate,
} from '../domain/license-configuration/license-configuration';
import { toTagList } from '../domain/tags';

/** Per resource type: the licences consumed and how many resources are associated. */
function summaries(associations: Association[]) {
  const byType = new Map<LicenseManager.ResourceType, Association[]>();
  for (const association of associations) byType.set(association.resourceType, [...(byType.get(association.resourceType) ?? []), association]);
  return {
    consumed: [...byType].map(([ResourceType, list]) => ({ ResourceType, ConsumedLicenses: consumedLicenses(Object.fromEntries(list.map((a) => [a.resourceArn, a]))) })),
    managed: [...byType].map(([ResourceType, list]) => ({ ResourceType, AssociationCount: list.length })),
  };
}

/** A configuration as the API's LicenseConfiguration shape (list items). */
export function toLicenseConfigurationOutput(c: LicenseConfigurationAggregate): LicenseManager.LicenseConfiguration {
  const { consumed, managed } = summaries(Object.values(c.associations));
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
    ConsumedLicenses: consumedLicenses(c.associations),
    Status: c.status,
    OwnerAccountId: c.ownerAccountId,
    ConsumedLicenseSummaryList: consumed,
    ManagedResourceSummaryList: managed,
    ProductInformationList: c.productInformationList,
    LicenseExpiry: c.licenseExpiry,
  };
}

/** GetLicenseConfiguration also carries the tags. */
export function toGetLicenseConfigurationOutput(c: LicenseConfigurationAggregate): LicenseManager.GetLicenseConfigurationResponse {
  return { ...toLicenseConfigurationOutput(c), Tags: toTagList(c.tags) };
}
