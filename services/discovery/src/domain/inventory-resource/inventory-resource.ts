import type { InventoryResourceEvent, ResourceAttributes, ResourceIdentity } from './events';
import { isGone } from './resource-types';

/** The guide: inventory data is kept 30 days; a resource not reported for that long is inactive. */
export const INACTIVE_AFTER_MS = 30 * 24 * 3600_000;

/**
 * An unchanged report is recorded only when the last recorded observation is at least this old.
 * Re-reporting the same thing changes nothing, yet a resource reported every day stays active.
 */
export const REFRESH_AFTER_MS = 24 * 3600_000;

export interface InventoryResource extends ResourceIdentity, ResourceAttributes {
  /** When the last recorded report observed it (ISO 8601). */
  lastObservedAt: string;
  active: boolean;
}

export type InventoryResourceState = { status: 'unknown' } | { status: 'known'; resource: InventoryResource };

export const initialInventoryResourceState = (): InventoryResourceState => ({ status: 'unknown' });

export function evolveInventoryResource(
  state: InventoryResourceState,
  event: InventoryResourceEvent,
): InventoryResourceState {
  switch (event.type) {
    case 'ResourceObserved': {
      const { previousState: _previous, observedAt, ...resource } = event.data;
      return { status: 'known', resource: { ...resource, lastObservedAt: observedAt, active: true } };
    }
    case 'ResourceObservationRefreshed':
      return state.status === 'known'
        ? { status: 'known', resource: { ...state.resource, lastObservedAt: event.data.observedAt } }
        : state;
    case 'ResourceInactivated':
      return state.status === 'known' ? { status: 'known', resource: { ...state.resource, active: false } } : state;
  }
}

/** Whether ListResourceInventory shows the resource: it is active and still exists. */
export function isListed(resource: InventoryResource): boolean {
  return resource.active && !isGone(resource.state);
}
