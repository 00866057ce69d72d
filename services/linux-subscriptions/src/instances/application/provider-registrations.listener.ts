import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ProviderRetrievals } from '../../subscription-providers/application/provider-retrievals';
import { InstanceDiscovery } from './instance-discovery';

/**
 * Each retrieval of a subscription provider (and its deregistration, with no instance) sets
 * RegisteredWithSubscriptionProvider, the provider's times and DualSubscription on the instances
 * it lists or no longer lists.
 */
@Injectable()
export class ProviderRegistrationsListener implements OnModuleInit {
  constructor(
    private readonly retrievals: ProviderRetrievals,
    private readonly discovery: InstanceDiscovery,
  ) {}

  onModuleInit(): void {
    this.retrievals.add((retrieval) => this.discovery.retrieved(retrieval));
  }
}
