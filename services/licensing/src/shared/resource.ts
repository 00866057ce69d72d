import type { LicenseManager } from '@lm/api-model';

export type ResourceType = LicenseManager.ResourceType;

/**
 * What the inventory (the discovery service) says of a resource: the facts licences are
 * counted and rules are checked on.
 */
export interface ResourceFacts {
  resourceArn: string;
  resourceId: string;
  resourceType: ResourceType;
  accountId: string;
  region: string;
  state: string;
  vCpuCount?: number;
  coreCount?: number;
  socketCount?: number;
  threadsPerCore?: number;
  tenancy?: 'default' | 'dedicated' | 'host';
  hostId?: string;
  amiId?: string;
  /** What asset group rules match on (InstanceType). */
  instanceType?: string;
  /** What automated discovery matches products on. */
  platform?: string;
  usageOperation?: string;
  licenseIncluded?: string[];
  tags?: Record<string, string>;
  applications?: { name: string; version?: string | null; publisher?: string | null }[];
  /** The instance's AMI product codes and EC2 billing products (its license type besides the usage operation). */
  productCodes?: { productCodeId: string; productCodeType: string | null }[];
  billingProducts?: string[];
  /** What a license type conversion checks: stop protection, the original AMI's owner, Systems Manager inventory. */
  stopProtection?: boolean;
  imageOwner?: string;
  ssmManaged?: boolean;
  active: boolean;
}

/** States in which a resource can no longer take licences. */
const GONE_STATES = new Set(['shutting-down', 'terminated', 'deregistered', 'released']);
/** States in which a resource consumes its licences. */
const CONSUMING_STATES: Record<ResourceType, ReadonlySet<string>> = {
  EC2_INSTANCE: new Set(['pending', 'running']),
  SYSTEMS_MANAGER_MANAGED_INSTANCE: new Set(['pending', 'running']),
  RDS: new Set(['pending', 'running']),
  EC2_HOST: new Set(['available']),
  EC2_AMI: new Set(),
};

export const isGone = (resource: ResourceFacts) => GONE_STATES.has(resource.state) || !resource.active;
export const consumesLicenses = (resource: ResourceFacts) =>
  CONSUMING_STATES[resource.resourceType].has(resource.state) && resource.active;
