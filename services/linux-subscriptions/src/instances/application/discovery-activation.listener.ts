import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryActivations } from '../../settings/application/discovery-activations';
import { InstanceDiscovery } from './instance-discovery';

/**
 * Discovery turned on derives the account's discovered instances from the inventory copy at once
 * (the Region's step succeeds only once they are); turned off, they are removed, as the guide says.
 * Both reconcile every account's discovery: another account's that still covers an instance keeps it.
 */
@Injectable()
export class DiscoveryActivationListener implements OnModuleInit {
  constructor(
    private readonly activations: DiscoveryActivations,
    private readonly discovery: InstanceDiscovery,
  ) {}

  onModuleInit(): void {
    this.activations.add({
      activated: () => this.discovery.reconcile(),
      deactivated: () => this.discovery.reconcile(),
    });
  }
}
