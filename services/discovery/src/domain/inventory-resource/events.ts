import type { ResourceState, ResourceType, Tenancy } from './resource-types';

/** Which resource: the same id in another account, Region or type is another resource. */
export interface ResourceIdentity {
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: ResourceType;
  resourceArn: string;
}

export interface Application {
  name: string;
  version: string | null;
  publisher: string | null;
}

/**
 * What is known of a resource, in canonical form (lists sorted, tags as a map) so that two
 * reports of the same thing compare equal. `null`: never reported.
 */
export interface ResourceAttributes {
  state: ResourceState;
  platform: string | null;
  platformVersion: string | null;
  usageOperation: string | null;
  instanceType: string | null;
  vCpuCount: number | null;
  coreCount: number | null;
  socketCount: number | null;
  threadsPerCore: number | null;
  tenancy: Tenancy | null;
  hostId: string | null;
  amiId: string | null;
  licenseIncluded: string[];
  tags: Record<string, string>;
  applications: Application[];
}

/**
 * The events are self-contained (identity and every attribute), so that consumers such as the
 * licensing service need no other source to act on them.
 */
export type InventoryResourceEvent =
  | {
      type: 'ResourceObserved';
      data: ResourceIdentity & ResourceAttributes & { previousState?: ResourceState; observedAt: string };
    }
  | { type: 'ResourceObservationRefreshed'; data: ResourceIdentity & { observedAt: string } }
  | { type: 'ResourceInactivated'; data: ResourceIdentity & { lastObservedAt: string; inactivatedAt: string } };

export type InventoryResourceEventType = InventoryResourceEvent['type'];

export const INVENTORY_RESOURCE_EVENT_TYPES: readonly InventoryResourceEventType[] = [
  'ResourceObserved',
  'ResourceObservationRefreshed',
  'ResourceInactivated',
];
