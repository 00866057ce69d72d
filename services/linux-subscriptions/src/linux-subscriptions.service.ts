import { eventSubject } from '@lm/messaging';
import { defineService } from '@lm/service-kit';
import { discoveredInstanceLimitGuard } from './instances/application/discovered-instance-limit.guard';
import { DiscoveryReconciliationSweep } from './instances/application/discovery-reconciliation.sweep';
import { linuxInstancesProjection } from './instances/application/instance.projection';
import { InventoryInstancesConsumer } from './instances/application/inventory-instances.consumer';
import { InstancesModule, instancesSettings } from './instances/instances.module';
import { linuxSubscriptionsMigrations } from './linux-subscriptions.migrations';
import { discoverySettingsProjection } from './settings/application/discovery-settings.projection';
import { DiscoverySteps } from './settings/application/discovery-steps';
import {
  ORGANIZATION_LINKS_CONSUMER,
  OrganizationLinksConsumer,
} from './settings/application/organization-links.consumer';
import { SettingsModule, settingsSettings } from './settings/settings.module';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from './shared/schema';
import { ResourceTagsModule } from './shared/tags/resource-tags.module';
import { ProviderRetrievalSteps } from './subscription-providers/application/provider-retrieval.steps';
import { subscriptionProvidersProjection } from './subscription-providers/application/subscription-provider.projection';
import {
  SubscriptionProvidersModule,
  subscriptionProvidersSettings,
} from './subscription-providers/subscription-providers.module';

/**
 * The linux-subscriptions service: the commercial Linux subscriptions (the
 * license-manager-linux-subscriptions API) of the inventory's instances across accounts and Regions,
 * in slices: settings (discovery on or off, source Regions, organization integration, per-Region
 * status), instances (followed from discovery's events and classified by usage operation and product
 * code), subscription providers (Red Hat Subscription Manager) and tags. It follows licensing's
 * ServiceSettingsUpdated (organization links) and discovery's events; its own go out on
 * lm.events.linux-subscriptions.*.
 */
export const LinuxSubscriptionsService = defineService({
  name: 'linux-subscriptions',
  schema: LINUX_SUBSCRIPTIONS_SCHEMA,
  migrations: linuxSubscriptionsMigrations,
  config: { ...settingsSettings, ...subscriptionProvidersSettings, ...instancesSettings },
  projections: [discoverySettingsProjection, subscriptionProvidersProjection, linuxInstancesProjection],
  guards: (config) => [discoveredInstanceLimitGuard(config.linuxInstanceLimit)],
  consumers: [
    {
      durableName: ORGANIZATION_LINKS_CONSUMER,
      subject: eventSubject('licensing', 'ServiceSettingsUpdated'),
      handler: OrganizationLinksConsumer,
    },
    {
      durableName: 'linux-subscriptions-instances',
      subject: eventSubject('discovery', '>'),
      handler: InventoryInstancesConsumer,
    },
  ],
  schedules: [
    { task: DiscoverySteps, intervalMs: (config) => config.discoveryStepsSweepMs },
    { task: ProviderRetrievalSteps, intervalMs: (config) => config.providerRetrievalMs },
    { task: DiscoveryReconciliationSweep, intervalMs: (config) => config.linuxInstanceSweepMs },
  ],
  imports: [SettingsModule, ResourceTagsModule, SubscriptionProvidersModule, InstancesModule],
});
