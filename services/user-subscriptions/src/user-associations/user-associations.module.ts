import { Module } from '@nestjs/common';
import { milliseconds } from '@lm/service-kit';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { InstancesModule } from '../instances/instances.module';
import { ProductSubscriptionsModule } from '../product-subscriptions/product-subscriptions.module';
import { resourceTagsOf } from '../shared/tags/resource-tags';
import { ResourceTagsModule } from '../shared/tags/resource-tags.module';
import { AssociatedUsersBlockers } from './application/associated-users.blockers';
import { AssociationCommands } from './application/association.commands';
import { AssociationQueries } from './application/association.queries';
import { AssociationSteps } from './application/association.steps';
import { UserAssociationsController } from './infra/user-associations.controller';

/** The user associations slice's settings, read with the service's when it starts. */
export const userAssociationsSettings = {
  /** LM_USER_ASSOCIATION_SWEEP_MS: how often associations a restart left unsettled, and users of terminated instances, are looked for. */
  userAssociationSweepMs: milliseconds('LM_USER_ASSOCIATION_SWEEP_MS', 30_000),
};

/**
 * User associations: subscribed users associated with user-subscription instances, the
 * 25-instance quota (its guard is the service's), and the rules it adds to unsubscription and
 * deregistration. Its instance users take tags (ResourceTags).
 */
@Module({
  imports: [IdentityProvidersModule, ProductSubscriptionsModule, InstancesModule, ResourceTagsModule],
  controllers: [UserAssociationsController],
  providers: [
    AssociationCommands,
    AssociationQueries,
    AssociationSteps,
    AssociatedUsersBlockers,
    resourceTagsOf('instance-user', AssociationCommands),
  ],
})
export class UserAssociationsModule {}
