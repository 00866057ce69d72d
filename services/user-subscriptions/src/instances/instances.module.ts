import { Module } from '@nestjs/common';
import { CONFIG, type ConfigOf } from '@lm/service-kit';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { InstanceQueries } from './application/instance.queries';
import { InstanceTerminations } from './application/instance-terminations';
import { InventoryInstancesConsumer } from './application/inventory-instances.consumer';
import { LiveInstancesBlocker } from './application/live-instances.blocker';
import { PRODUCT_CODES, productCodeSetting } from './application/product-code-table';
import { UserSubscriptionInstances } from './application/user-subscription-instances';
import { InstancesController } from './infra/instances.controller';

/** The instances slice's settings, read with the service's when it starts. */
export const instancesSettings = { userSubscriptionProductCodes: productCodeSetting };

/**
 * User-subscription instances: the inventory's instances in the subnets of registered identity
 * providers (followed from discovery's events by InventoryInstancesConsumer). Exports the lookup
 * user associations build on and the terminations they listen to.
 */
@Module({
  imports: [IdentityProvidersModule],
  controllers: [InstancesController],
  providers: [
    InstanceQueries,
    InstanceTerminations,
    InventoryInstancesConsumer,
    LiveInstancesBlocker,
    UserSubscriptionInstances,
    {
      provide: PRODUCT_CODES,
      useFactory: (config: ConfigOf<typeof instancesSettings>) => config.userSubscriptionProductCodes,
      inject: [CONFIG],
    },
  ],
  exports: [UserSubscriptionInstances, InstanceTerminations],
})
export class InstancesModule {}
