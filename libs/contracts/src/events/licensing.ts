/**
 * Events of the licensing service (lm.events.licensing.*), with the schema version of each type: a
 * consumer reads the versions it knows and upcasts older ones. Only ServiceSettingsUpdated is
 * consumed by other services (discovery, grants), so only its data is part of the contract.
 */
export const LICENSING_EVENT_VERSIONS = {
  // License configurations and their associations
  LicenseConfigurationCreated: 1,
  LicenseConfigurationUpdated: 1,
  LicenseConfigurationTagged: 1,
  LicenseConfigurationUntagged: 1,
  LicenseConfigurationDeleted: 1,
  ResourceAssociated: 1,
  ResourceDisassociated: 1,
  AssociationConsumptionChanged: 1,
  AffinityHoldStarted: 1,
  LicenseOperationFailed: 1,
  LicenseCountExceeded: 1,
  // A resource's license specifications
  LicenseSpecificationsUpdated: 1,
  // An account's settings in a Region
  ServiceSettingsUpdated: 1,
} as const;

/**
 * `ServiceSettingsUpdated` v1: an account's License Manager settings in one Region, whole (a
 * consumer needs no history to know the current settings).
 */
export interface ServiceSettingsUpdatedData {
  accountId: string;
  /** Settings are per account and Region. */
  region: string;
  organizationId?: string;
  organizationIntegration: boolean;
  enableCrossAccountsDiscovery: boolean;
  s3BucketArn?: string;
  snsTopicArn?: string;
  enabledDiscoverySourceRegions: string[];
  /** The organization's accounts when it is linked (what cross-account discovery covers). */
  organizationMemberAccountIds?: string[];
  updatedAt: string;
}
