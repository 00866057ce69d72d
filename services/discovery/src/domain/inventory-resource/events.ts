import type {
  CataloguedEvents,
  ResourceInactivatedData,
  ResourceObservationRefreshedData,
  ResourceObservedData,
} from '@lm/contracts';

/** The identity and attributes of a resource are the published contract (@lm/contracts). */
export type { Application, ResourceAttributes, ResourceIdentity } from '@lm/contracts';

/**
 * The events are self-contained (identity and every attribute), so that consumers such as the
 * licensing service need no other source to act on them.
 */
export type InventoryResourceEvent =
  | { type: 'ResourceObserved'; data: ResourceObservedData }
  | { type: 'ResourceObservationRefreshed'; data: ResourceObservationRefreshedData }
  | { type: 'ResourceInactivated'; data: ResourceInactivatedData };

export type InventoryResourceEventType = InventoryResourceEvent['type'];

/** Relayed to lm.events.discovery.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'discovery', InventoryResourceEvent>;

export const INVENTORY_RESOURCE_EVENT_TYPES: readonly InventoryResourceEventType[] = [
  'ResourceObserved',
  'ResourceObservationRefreshed',
  'ResourceInactivated',
];
