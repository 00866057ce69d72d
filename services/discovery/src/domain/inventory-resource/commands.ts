import type { ResourceAttributes, ResourceIdentity } from './events';

/**
 * What one report says of a resource: its state, and whichever other attributes the reporter
 * gave. Attributes left out keep their last reported value (an EC2 state-change notice carries
 * only the state); a list that is given, even empty, replaces the previous one.
 */
export type ReportedAttributes = Pick<ResourceAttributes, 'state'> & Partial<Omit<ResourceAttributes, 'state'>>;

export type InventoryResourceCommand =
  | { type: 'ObserveResource'; resource: ResourceIdentity; attributes: ReportedAttributes; observedAt: Date }
  /** The inactivity sweep asks whether the resource has gone unreported for too long. */
  | { type: 'CheckActivity'; now: Date };
