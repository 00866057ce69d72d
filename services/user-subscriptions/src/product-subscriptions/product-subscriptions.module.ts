import { Module } from '@nestjs/common';
import { milliseconds } from '@lm/service-kit';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { resourceTagsOf } from '../shared/tags/resource-tags';
import { ResourceTagsModule } from '../shared/tags/resource-tags.module';
import { ProductSubscriptionCommands } from './application/product-subscription.commands';
import { ProductSubscriptionQueries } from './application/product-subscription.queries';
import { ProductSubscriptionSteps } from './application/product-subscription.steps';
import { SubscribedUsersBlocker } from './application/subscribed-users.blocker';
import { UnsubscribeBlockers } from './application/unsubscribe-blockers';
import { ProductSubscriptionsController } from './infra/product-subscriptions.controller';

/** The product subscriptions slice's settings, read with the service's when it starts. */
export const productSubscriptionsSettings = {
  /** LM_PRODUCT_SUBSCRIPTION_SWEEP_MS: how often subscriptions a restart left unsettled are looked for (each request settles its own at once). */
  productSubscriptionSweepMs: milliseconds('LM_PRODUCT_SUBSCRIPTION_SWEEP_MS', 30_000),
};

/**
 * Product subscriptions: users of a registered directory subscribed to Visual Studio, Office or
 * RDS SAL. Exports UnsubscribeBlockers, to which user associations adds its rule. Its product users
 * take tags (ResourceTags).
 */
@Module({
  imports: [IdentityProvidersModule, ResourceTagsModule],
  controllers: [ProductSubscriptionsController],
  providers: [
    ProductSubscriptionCommands,
    ProductSubscriptionQueries,
    ProductSubscriptionSteps,
    UnsubscribeBlockers,
    SubscribedUsersBlocker,
    resourceTagsOf('product-user', ProductSubscriptionCommands),
  ],
  exports: [UnsubscribeBlockers],
})
export class ProductSubscriptionsModule {}
