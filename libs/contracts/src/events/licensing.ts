/**
 * Events of the licensing service (lm.events.licensing.*) that other services consume. Each
 * event type carries a schema version: a consumer reads the versions it knows and upcasts older ones.
 */
export const LICENSING_EVENT_VERSIONS = {
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
