import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { UserSubscriptionsRequest } from '../../shared/request';
import { InstanceQueries } from '../application/instance.queries';

const { subject } = operations('user-subscriptions');

/** ListInstances of license-manager-user-subscriptions. */
@Controller()
export class InstancesController {
  constructor(private readonly queries: InstanceQueries) {}

  @MessagePattern(subject('ListInstances'))
  list(@Payload() { caller, input }: UserSubscriptionsRequest<'ListInstances'>) {
    return this.queries.list(caller, input);
  }
}
