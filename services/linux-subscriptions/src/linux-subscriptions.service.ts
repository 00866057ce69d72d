import { defineService } from '@lm/service-kit';
import { linuxSubscriptionsMigrations } from './linux-subscriptions.migrations';
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
 * code), subscription providers (Red Hat Subscription Manager) and tags. The API's operations no
 * slice handles yet answer 501 NotImplementedException at the gateway. Its events go out on
 * lm.events.linux-subscriptions.*.
 */
export const LinuxSubscriptionsService = defineService({
  name: 'linux-subscriptions',
  schema: LINUX_SUBSCRIPTIONS_SCHEMA,
  migrations: linuxSubscriptionsMigrations,
  config: { ...subscriptionProvidersSettings },
  projections: [subscriptionProvidersProjection],
  schedules: [{ task: ProviderRetrievalSteps, intervalMs: (config) => config.providerRetrievalMs }],
  imports: [ResourceTagsModule, SubscriptionProvidersModule],
});
