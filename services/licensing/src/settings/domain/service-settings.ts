import type { LicenseManager } from '@lm/api-model';
import type { Decider } from '@lm/event-store';
import { AwsError, type ServiceSettingsUpdatedData, type CataloguedEvents } from '@lm/contracts';
import { invalidParameterValue } from '@lm/contracts';

/** License Manager settings of one account in one Region (the API: "for the current Region"). */
export type ServiceSettings = Omit<ServiceSettingsUpdatedData, 'updatedAt'>;

/** Every change carries the whole settings (the published contract), so a consumer needs no history. */
export type ServiceSettingsEvent = { type: 'ServiceSettingsUpdated'; data: ServiceSettingsUpdatedData };

/** Relayed to lm.events.licensing.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'licensing', ServiceSettingsEvent>;

export interface UpdateServiceSettings {
  accountId: string;
  region: string;
  /** The caller's organization, when it is the organization's management account. */
  managedOrganizationId?: string;
  /** That organization's accounts. */
  managedOrganizationMemberIds?: string[];
  now: Date;
  input: LicenseManager.UpdateServiceSettingsRequest;
}

export type ServiceSettingsState = ServiceSettings | undefined;

export const defaultServiceSettings = (accountId: string, region: string): ServiceSettings => ({
  accountId,
  region,
  organizationIntegration: false,
  enableCrossAccountsDiscovery: false,
  enabledDiscoverySourceRegions: [],
});

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:aws-license-manager-service-[A-Za-z0-9_-]+$/;
const S3_BUCKET_ARN = /^arn:aws[a-z-]*:s3:::aws-license-manager-service-[a-z0-9.-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const notManagementAccount = (what: string) =>
  new AwsError('AuthorizationException', `${what} can only be enabled by the management account of an organization.`);

function decide(command: UpdateServiceSettings, state: ServiceSettingsState): ServiceSettingsEvent[] {
  const current = state ?? defaultServiceSettings(command.accountId, command.region);
  const { input } = command;
  const next: ServiceSettings = { ...current };
  if (input.S3BucketArn !== undefined) {
    if (!S3_BUCKET_ARN.test(input.S3BucketArn))
      throw invalidParameterValue('S3BucketArn must name a bucket aws-license-manager-service-*.');
    next.s3BucketArn = input.S3BucketArn;
  }
  if (input.SnsTopicArn !== undefined) {
    if (!SNS_TOPIC_ARN.test(input.SnsTopicArn)) {
      throw invalidParameterValue(
        'SnsTopicArn must be arn:<partition>:sns:<region>:<account_id>:aws-license-manager-service-*.',
      );
    }
    next.snsTopicArn = input.SnsTopicArn;
  }
  if (input.EnabledDiscoverySourceRegions !== undefined) {
    const invalid = input.EnabledDiscoverySourceRegions.find((region) => !REGION.test(region));
    if (invalid !== undefined) throw invalidParameterValue(`${invalid} is not a Region name.`);
    next.enabledDiscoverySourceRegions = [...new Set(input.EnabledDiscoverySourceRegions)];
  }
  if (input.OrganizationConfiguration !== undefined) {
    const enable = input.OrganizationConfiguration.EnableIntegration;
    if (enable && !command.managedOrganizationId) throw notManagementAccount('Organization integration');
    if (!enable && current.enableCrossAccountsDiscovery) {
      throw invalidParameterValue('Organization integration cannot be turned off while cross-account discovery is on.');
    }
    next.organizationIntegration = enable;
    next.organizationId = enable ? command.managedOrganizationId : undefined;
    next.organizationMemberAccountIds = enable ? command.managedOrganizationMemberIds : undefined;
  }
  if (input.EnableCrossAccountsDiscovery !== undefined) {
    if (!input.EnableCrossAccountsDiscovery && current.enableCrossAccountsDiscovery) {
      // The guide: once on, there is no going back to single-account discovery.
      throw invalidParameterValue('Cross-account discovery cannot be turned off once it is on.');
    }
    if (input.EnableCrossAccountsDiscovery) {
      if (!command.managedOrganizationId) throw notManagementAccount('Cross-account discovery');
      // Turning it on links the organization as well.
      next.enableCrossAccountsDiscovery = true;
      next.organizationIntegration = true;
      next.organizationId = command.managedOrganizationId;
      next.organizationMemberAccountIds = command.managedOrganizationMemberIds;
    }
  }
  if (JSON.stringify(next) === JSON.stringify(current) && state !== undefined) return [];
  return [{ type: 'ServiceSettingsUpdated', data: { ...next, updatedAt: command.now.toISOString() } }];
}

export const serviceSettingsDecider: Decider<UpdateServiceSettings, ServiceSettingsEvent, ServiceSettingsState> = {
  initialState: () => undefined,
  evolve: (_state, event) => {
    const { updatedAt: _updatedAt, ...settings } = event.data;
    return settings;
  },
  decide,
};

export const serviceSettingsStream = (accountId: string, region: string) => `service-settings-${accountId}-${region}`;
