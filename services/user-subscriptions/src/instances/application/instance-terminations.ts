import { Injectable } from '@nestjs/common';
import type { InventoryInstance } from '../domain/instance';

/** Reacts to an instance's termination; may run again for the same one (an event delivered twice). */
export type TerminationListener = (instance: InventoryInstance) => Promise<void>;

/**
 * Who is told when an instance is terminated: user associations, which disassociates its users
 * (the guide: "Whenever a user subscriptions instance is terminated, all the users that are
 * associated to the instance are disassociated"). A slice adds its listener in onModuleInit.
 */
@Injectable()
export class InstanceTerminations {
  private readonly listeners: TerminationListener[] = [];

  add(listener: TerminationListener): void {
    this.listeners.push(listener);
  }

  async terminated(instance: InventoryInstance): Promise<void> {
    for (const listener of this.listeners) await listener(instance);
  }
}
