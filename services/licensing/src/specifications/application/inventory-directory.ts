import type { InventoryEventMessage, InventoryViewer } from '@lm/contracts';

/**
 * The inventory's owner (the discovery service), asked about resources licensing has not heard
 * of yet: their events, as the inventory consumer would receive them.
 */
export interface InventoryDirectory {
  describe(viewer: InventoryViewer, resourceArns: string[]): Promise<InventoryEventMessage[]>;
}

export const INVENTORY_DIRECTORY = Symbol('InventoryDirectory');
