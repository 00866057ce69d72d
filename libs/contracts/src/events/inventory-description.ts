import type { AnonymousOperationRequest, Caller } from '../operation-request';
import type { DiscoveryEventMessage } from './discovery';

/**
 * Whose inventory is asked about: an account in a Region, and its organization (the management
 * account sees its organization's resources, as ListResourceInventory shows them).
 */
export type InventoryViewer = Pick<Caller, 'accountId' | 'region' | 'organization'>;

export interface DescribeInventoryResourcesInput {
  Viewer: InventoryViewer;
  ResourceArns: string[];
}

/**
 * DescribeInventoryResources (discovery, internal): a service that acts on the inventory asks for
 * resources it has not heard of yet, so that a resource ReportResources has just accepted is
 * usable in the reporter's very next request, before discovery's events arrive.
 */
export type DescribeInventoryResourcesRequest = AnonymousOperationRequest<DescribeInventoryResourcesInput>;

/** An inventory event as JetStream carries it: what tells a resource's present state. */
export type InventoryEventMessage = Extract<
  DiscoveryEventMessage,
  { type: 'ResourceObserved' | 'ResourceInactivated' }
>;

/**
 * For each resource the viewer sees, the events that tell its present state, exactly as they are
 * (or will be) relayed on lm.events.discovery.*: its last ResourceObserved, and the
 * ResourceInactivated that followed it if it has gone inactive since. A consumer applies them as
 * it applies the relayed ones, so that either may arrive first. Resources it does not see are left out.
 */
export interface DescribeInventoryResourcesResponse {
  Events: InventoryEventMessage[];
}
