import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { UserSubscriptionsRequest } from '../../shared/request';
import { ProductSubscriptionCommands } from '../application/product-subscription.commands';
import { ProductSubscriptionQueries } from '../application/product-subscription.queries';

const { subject } = operations('user-subscriptions');

/** The product subscription operations of license-manager-user-subscriptions. */
@Controller()
export class ProductSubscriptionsController {
  constructor(
    private readonly commands: ProductSubscriptionCommands,
    private readonly queries: ProductSubscriptionQueries,
  ) {}

  @MessagePattern(subject('StartProductSubscription'))
  start(@Payload() { caller, input }: UserSubscriptionsRequest<'StartProductSubscription'>) {
    return this.commands.start(caller, input);
  }

  @MessagePattern(subject('StopProductSubscription'))
  stop(@Payload() { caller, input }: UserSubscriptionsRequest<'StopProductSubscription'>) {
    return this.commands.stop(caller, input);
  }

  @MessagePattern(subject('ListProductSubscriptions'))
  list(@Payload() { caller, input }: UserSubscriptionsRequest<'ListProductSubscriptions'>) {
    return this.queries.list(caller, input);
  }
}
