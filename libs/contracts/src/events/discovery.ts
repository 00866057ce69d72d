import type { Extensions } from '@lm/api-model';
import type { DomainEventMessage } from './domain-event-message';

/**
 * Events of the discovery service (lm.events.discovery.*), with the schema version of each type.
 */
export const DISCOVERY_EVENT_VERSIONS = {
  ResourceObserved: 1,
  ResourceObservationRefreshed: 1,
  ResourceInactivated: 1,
} as const;

/**
 * The inventory contract between the discovery service, which keeps the inventory, and the
 * services that act on it (licensing counts licences on it): resource types, their ARNs, and the
 * data of the events on lm.events.discovery.*.
 */
export type InventoryResourceType =
  'EC2_INSTANCE' | 'EC2_HOST' | 'EC2_AMI' | 'RDS' | 'SYSTEMS_MANAGER_MANAGED_INSTANCE';

/** Which resource: the same id in another account, Region or type is another resource. */
export interface ResourceIdentity {
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: InventoryResourceType;
  resourceArn: string;
}

export interface Application {
  name: string;
  version: string | null;
  publisher: string | null;
}

/** An AMI product code of an instance (EC2's ProductCodes), as reported. */
export interface ProductCode {
  productCodeId: string;
  /** `marketplace` or `devpay`; `null` when the report did not say. */
  productCodeType: Extensions.ProductCodeType | null;
}

/**
 * What is known of a resource, in canonical form (lists sorted, tags as a map) so that two
 * reports of the same thing compare equal. `null`: never reported.
 */
export interface ResourceAttributes {
  state: Extensions.ResourceState;
  platform: string | null;
  platformVersion: string | null;
  usageOperation: string | null;
  instanceType: string | null;
  vCpuCount: number | null;
  coreCount: number | null;
  socketCount: number | null;
  threadsPerCore: number | null;
  tenancy: Extensions.Tenancy | null;
  hostId: string | null;
  amiId: string | null;
  licenseIncluded: string[];
  tags: Record<string, string>;
  applications: Application[];
  /**
   * The subnet an instance runs in (user-based subscriptions: an instance in an identity
   * provider's subnets provides its products). Optional within v1: events recorded before it
   * existed have none, which means never reported (`null`).
   */
  subnetId?: string | null;
  /** The instance's AMI product codes, sorted by id. Optional within v1 as `subnetId` (absent: `[]`). */
  productCodes?: ProductCode[];
  /** The instance's EC2 billing product codes, sorted. Optional within v1 as `subnetId` (absent: `[]`). */
  billingProducts?: string[];
  /** Whether the instance's stop protection is on (a license type conversion fails). Optional within v1 (absent: `null`). */
  stopProtection?: boolean | null;
  /**
   * Who owns the AMI the instance was originally launched from: `amazon`, `marketplace`, `self` or an
   * account id (BYOL is refused for an Amazon-owned one). Optional within v1 (absent: `null`).
   */
  imageOwner?: string | null;
  /** Whether Systems Manager inventory is collected on the instance. Optional within v1 (absent: `null`). */
  ssmManaged?: boolean | null;
}

/** The attributes of a resource of which a report said nothing yet: every one `null` or empty. */
export const NOTHING_REPORTED: Readonly<Omit<ResourceAttributes, 'state'>> = {
  platform: null,
  platformVersion: null,
  usageOperation: null,
  instanceType: null,
  vCpuCount: null,
  coreCount: null,
  socketCount: null,
  threadsPerCore: null,
  tenancy: null,
  hostId: null,
  amiId: null,
  licenseIncluded: [],
  tags: {},
  applications: [],
  subnetId: null,
  productCodes: [],
  billingProducts: [],
  stopProtection: null,
  imageOwner: null,
  ssmManaged: null,
};

/** `ResourceObserved`: a resource first seen, changed, or seen again after being inactive. */
export type ResourceObservedData = ResourceIdentity &
  ResourceAttributes & { previousState?: Extensions.ResourceState; observedAt: string };

/** `ResourceObservationRefreshed`: reported again, unchanged, a day or more after the last record. */
export type ResourceObservationRefreshedData = ResourceIdentity & { observedAt: string };

/** `ResourceInactivated`: not reported for 30 days. */
export type ResourceInactivatedData = ResourceIdentity & { lastObservedAt: string; inactivatedAt: string };

/** A discovery event as JetStream carries it (lm.events.discovery.*): its data known by its type. */
export type DiscoveryEventMessage =
  | (DomainEventMessage<ResourceObservedData> & { type: 'ResourceObserved' })
  | (DomainEventMessage<ResourceObservationRefreshedData> & { type: 'ResourceObservationRefreshed' })
  | (DomainEventMessage<ResourceInactivatedData> & { type: 'ResourceInactivated' });

/** Narrows a message of lm.events.discovery.* by its type: the contract says which data each type carries. */
export const isDiscoveryEvent = (event: DomainEventMessage<object>): event is DiscoveryEventMessage =>
  event.type in DISCOVERY_EVENT_VERSIONS;

/**
 * ARNs as AWS writes them for each resource type. An AMI's ARN names no account: images are
 * regional objects that several accounts may use.
 */
export function resourceArn(
  type: InventoryResourceType,
  region: string,
  accountId: string,
  resourceId: string,
): string {
  switch (type) {
    case 'EC2_INSTANCE':
      return `arn:aws:ec2:${region}:${accountId}:instance/${resourceId}`;
    case 'EC2_AMI':
      return `arn:aws:ec2:${region}::image/${resourceId}`;
    case 'EC2_HOST':
      return `arn:aws:ec2:${region}:${accountId}:dedicated-host/${resourceId}`;
    case 'RDS':
      return `arn:aws:rds:${region}:${accountId}:db:${resourceId}`;
    case 'SYSTEMS_MANAGER_MANAGED_INSTANCE':
      return `arn:aws:ssm:${region}:${accountId}:managed-instance/${resourceId}`;
  }
}
