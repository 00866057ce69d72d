import { Injectable } from '@nestjs/common';
import type { Sweep } from '@lm/service-kit';
import { InstanceDiscovery } from './instance-discovery';

/**
 * The safety net of the discovered instances: an observation that raced a change of the settings
 * (read before the activation committed) or a limit freed by a gone instance is caught here.
 */
@Injectable()
export class DiscoveryReconciliationSweep implements Sweep {
  constructor(private readonly discovery: InstanceDiscovery) {}

  sweep(): Promise<void> {
    return this.discovery.reconcile();
  }
}
