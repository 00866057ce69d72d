import type { LicenseManager } from '@lm/api-model';
import type { DomainEventMessage } from './domain-event-message';
import type { Long } from '../long';

/**
 * Events of the licensing service (lm.events.licensing.*), with the schema version of each type: a
 * consumer reads the versions it knows and upcasts older ones. Other services consume
 * ServiceSettingsUpdated (discovery, grants) and a license configuration's events (reporting), so
 * their data is part of the contract; the specifications' stays licensing's own.
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
  // License asset rulesets and groups (their data is licensing's own: services/licensing/src/asset-groups/domain/events.ts)
  LicenseAssetRulesetCreated: 1,
  LicenseAssetRulesetUpdated: 1,
  LicenseAssetRulesetTagged: 1,
  LicenseAssetRulesetUntagged: 1,
  LicenseAssetRulesetDeleted: 1,
  LicenseAssetGroupCreated: 1,
  LicenseAssetGroupUpdated: 1,
  LicenseAssetGroupTagged: 1,
  LicenseAssetGroupUntagged: 1,
  LicenseAssetGroupDeleted: 1,
  LicenseAssetGroupUsageAnalysed: 1,
} as const;

/** What the instances of a license asset group count and consume (reporting's InstanceCount, InstanceConsumedLicenseCount). */
export interface LicenseAssetGroupUsage {
  instanceCount: number;
  /** The licences running instances consume in the group's usage dimension. */
  consumedLicenses: number;
}

/**
 * `LicenseAssetGroupUsageAnalysed` v1: a group's usage when it changed, and at least hourly while it
 * lasts (the metrics' hourly points). Reporting consumes it, so its data is part of the contract.
 */
export interface LicenseAssetGroupUsageAnalysedData extends LicenseAssetGroupUsage {
  groupArn: string;
  ownerAccountId: string;
  /** The group's usage dimension as the metrics' LicenseCountingType. */
  licenseCountingType: 'Instance' | 'vCPU' | 'Socket' | 'Core';
  /** By licensing model, for a group using an AWS-managed ruleset (the guide: "Available only for license asset groups with AWS-managed rulesets"). */
  byLicensingModel?: ({ licensingModel: 'LicenseIncluded' | 'AWSMarketplace' } & LicenseAssetGroupUsage)[];
  analysedAt: string;
}

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

/** The editable settings of a license configuration; an update event carries the changed ones. */
export interface LicenseConfigurationSettings {
  name: string;
  description?: string;
  /** Exact: a bigint beyond 2 ** 53 - 1 (see long.ts). */
  licenseCount?: Long;
  hardLimit: boolean;
  rules: string[];
  productInformationList: LicenseManager.ProductInformation[];
  disassociateWhenNotFound: boolean;
  /** Seconds since the epoch, as the API's LicenseExpiry. */
  licenseExpiry?: number;
  status: 'AVAILABLE' | 'DISABLED';
}

/** `LicenseConfigurationCreated` v1: the whole configuration as created. */
export interface LicenseConfigurationCreatedData extends LicenseConfigurationSettings {
  id: string;
  arn: string;
  ownerAccountId: string;
  region: string;
  countingType: LicenseManager.LicenseCountingType;
  tags: Record<string, string>;
  createdAt: string;
}

/** `ResourceAssociated` v1: a resource associated with the configuration, and what it consumes of it. */
export interface ResourceAssociatedData {
  resourceArn: string;
  resourceType: LicenseManager.ResourceType;
  resourceOwnerId: string;
  associatedAt: string;
  amiAssociationScope?: string;
  /**
   * What the licences are counted on: the resource itself, or for cores and sockets the Dedicated
   * Host it runs on, so that instances sharing a host count its cores once.
   */
  consumptionKey: string;
  /** Licences consumed now (0 while a resource does not run, and for AMIs). */
  consumedLicenses: number;
  /** While licenseAffinityToHost keeps the licences of a stopped or gone resource on its host. */
  affinityHoldUntil?: string;
  /** Made by automated discovery: the guide forbids disassociating it by hand. */
  automated?: boolean;
}

export type DisassociationReason =
  'requested' | 'terminated' | 'deregistered' | 'released' | 'inactive' | 'software-not-found';
export type ConsumptionChangeReason = 'started' | 'stopped' | 'affinity-ended';

/** `LicenseOperationFailed` v1: an operation on the configuration was refused (for the record). */
export interface LicenseOperationFailure {
  operationName: string;
  resourceArn: string;
  resourceType: string;
  resourceOwnerId: string;
  errorMessage: string;
  requestedBy: string;
  failedAt: string;
}

/**
 * The data of each event of a license configuration's stream (all at version 1), by type: one
 * declaration that licensing records and its consumers read.
 */
export interface LicenseConfigurationEventData {
  LicenseConfigurationCreated: LicenseConfigurationCreatedData;
  LicenseConfigurationUpdated: { changes: Partial<LicenseConfigurationSettings>; updatedAt: string };
  LicenseConfigurationTagged: { tags: Record<string, string> };
  LicenseConfigurationUntagged: { tagKeys: string[] };
  LicenseConfigurationDeleted: { ownerAccountId: string; region: string; deletedAt: string };
  ResourceAssociated: ResourceAssociatedData;
  ResourceDisassociated: { resourceArn: string; reason: DisassociationReason; disassociatedAt: string };
  /** The resource started or stopped: what it consumes now (a start also ends an affinity hold). */
  AssociationConsumptionChanged: {
    resourceArn: string;
    consumedLicenses: number;
    reason: ConsumptionChangeReason;
    at: string;
  };
  /** The resource stopped or went, but licenseAffinityToHost keeps its licences on the host until `until`. */
  AffinityHoldStarted: { resourceArn: string; until: string; at: string };
  LicenseOperationFailed: LicenseOperationFailure;
  /** A soft limit was passed: the association was allowed, and this says by how much. */
  LicenseCountExceeded: { resourceArn: string; consumedLicenses: number; licenseCount: Long; at: string };
}

export type LicenseConfigurationEventType = keyof LicenseConfigurationEventData;

const CONFIGURATION_STREAM: Record<LicenseConfigurationEventType, true> = {
  LicenseConfigurationCreated: true,
  LicenseConfigurationUpdated: true,
  LicenseConfigurationTagged: true,
  LicenseConfigurationUntagged: true,
  LicenseConfigurationDeleted: true,
  ResourceAssociated: true,
  ResourceDisassociated: true,
  AssociationConsumptionChanged: true,
  AffinityHoldStarted: true,
  LicenseOperationFailed: true,
  LicenseCountExceeded: true,
};

/**
 * Every type of a configuration's stream (its versions are contiguous over them): what a consumer
 * that follows the stream in order receives. The record above fails to compile when one is missing.
 */
export const LICENSE_CONFIGURATION_EVENT_TYPES = Object.keys(CONFIGURATION_STREAM) as LicenseConfigurationEventType[];

/** A license configuration's event as licensing records it. */
export type LicenseConfigurationEvent = {
  [T in LicenseConfigurationEventType]: { type: T; data: LicenseConfigurationEventData[T] };
}[LicenseConfigurationEventType];

/** A license configuration's event as JetStream carries it, of the types `T`: its data known by its type. */
export type LicenseConfigurationEventMessage<T extends LicenseConfigurationEventType = LicenseConfigurationEventType> =
  {
    [K in T]: DomainEventMessage<LicenseConfigurationEventData[K]> & { service: 'licensing'; type: K };
  }[T];
