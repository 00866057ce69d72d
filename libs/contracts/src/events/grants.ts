/**
 * Events of the grants service (lm.events.grants.*), with the schema version of each type. No
 * other service consumes them yet: their data types stay in the grants domain until one does,
 * and then move here, as ServiceSettingsUpdated's did.
 */
export const GRANTS_EVENT_VERSIONS = {
  // Licences
  LicenseCreated: 1,
  LicenseVersionCreated: 1,
  LicenseDeleted: 1,
  LicenseExpired: 1,
  LicenseRenewed: 1,
  LicenseTagged: 1,
  LicenseUntagged: 1,
  // Grants
  GrantCreated: 1,
  GrantAccepted: 1,
  GrantRejected: 1,
  GrantVersionCreated: 1,
  GrantActivated: 1,
  GrantDisabled: 1,
  GrantReplaced: 1,
  GrantDeleted: 1,
  GrantDistributed: 1,
  GrantDistributionFailed: 1,
  GrantDeletionStarted: 1,
  GrantTagged: 1,
  GrantUntagged: 1,
  // Consumption
  LicenseCheckedOut: 1,
  LicenseCheckedIn: 1,
  LicenseConsumptionExtended: 1,
  LicenseConsumptionExpired: 1,
  LicenseUsageReset: 1,
  // Signing keys
  SigningKeyCreated: 1,
  SigningKeyDeletionScheduled: 1,
  // Tokens and temporary credentials
  TokenCreated: 1,
  TokenDeleted: 1,
  AccessTokenIssued: 1,
  TemporaryCredentialsIssued: 1,
} as const;
