import { Module } from '@nestjs/common';
import { milliseconds, positiveInteger } from '@lm/service-kit';
import { SettingsModule } from '../settings/settings.module';
import { SubscriptionProvidersModule } from '../subscription-providers/subscription-providers.module';
import { DiscoveryActivationListener } from './application/discovery-activation.listener';
import { DiscoveryReconciliationSweep } from './application/discovery-reconciliation.sweep';
import { DiscoveryScopes } from './application/discovery-scopes';
import { InstanceDiscovery } from './application/instance-discovery';
import { InstanceQueries } from './application/instance.queries';
import { InventoryInstancesConsumer } from './application/inventory-instances.consumer';
import { ProviderRegistrationsListener } from './application/provider-registrations.listener';
import { ResourceLimitNotes } from './application/resource-limit.notes';
import { InstancesController } from './infra/instances.controller';

/** The instances slice's settings, read with the service's when it starts. */
export const instancesSettings = {
  /** LM_LINUX_INSTANCE_LIMIT: discovered instances per account and Region (the guide's default: 5,000). */
  linuxInstanceLimit: positiveInteger('LM_LINUX_INSTANCE_LIMIT', 5000),
  /** LM_LINUX_INSTANCE_SWEEP_MS: how often the discovered instances are reconciled with the settings and the inventory. */
  linuxInstanceSweepMs: milliseconds('LM_LINUX_INSTANCE_SWEEP_MS', 10_000),
};

/**
 * Instances: the inventory's instances with a commercial Linux subscription (followed from
 * discovery's events by InventoryInstancesConsumer), classified on their own streams, for the
 * accounts whose discovery covers them; ListLinuxSubscriptionInstances and ListLinuxSubscriptions.
 * Listens to the settings' activations and the subscription providers' retrievals, and notes the
 * resource limit in the Regions' status messages.
 */
@Module({
  imports: [SettingsModule, SubscriptionProvidersModule],
  controllers: [InstancesController],
  providers: [
    DiscoveryScopes,
    InstanceDiscovery,
    InstanceQueries,
    InventoryInstancesConsumer,
    DiscoveryReconciliationSweep,
    DiscoveryActivationListener,
    ProviderRegistrationsListener,
    ResourceLimitNotes,
  ],
})
export class InstancesModule {}
