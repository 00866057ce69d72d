import { Injectable } from '@nestjs/common';
import type { Discovery } from './discovery';

/**
 * A slice that discovers: told when an account's discovery is (re)activated with its Regions and
 * accounts, and when it is deactivated. Each may be told the same twice (a step retried after a
 * crash): both must be idempotent.
 */
export interface DiscoveryActivationListener {
  activated(accountId: string, discovery: Discovery): Promise<void>;
  /** The guide: disabling discovery removes the data discovered for the account. */
  deactivated(accountId: string): Promise<void>;
}

/**
 * Who is told when an account's discovery settings take effect: instances, which derives the
 * discovered instances on activation and deletes them on deactivation. A slice adds its listener in
 * onModuleInit. A listener that throws fails the Regions' pending steps with the guide's internal error.
 */
@Injectable()
export class DiscoveryActivations {
  private readonly listeners: DiscoveryActivationListener[] = [];

  add(listener: DiscoveryActivationListener): void {
    this.listeners.push(listener);
  }

  async activated(accountId: string, discovery: Discovery): Promise<void> {
    for (const listener of this.listeners) await listener.activated(accountId, discovery);
  }

  async deactivated(accountId: string): Promise<void> {
    for (const listener of this.listeners) await listener.deactivated(accountId);
  }
}
