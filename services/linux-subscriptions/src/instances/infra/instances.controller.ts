import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { LinuxSubscriptionsRequest } from '../../shared/request';
import { InstanceQueries } from '../application/instance.queries';

const { subject } = operations('linux-subscriptions');

/** ListLinuxSubscriptionInstances and ListLinuxSubscriptions of license-manager-linux-subscriptions. */
@Controller()
export class InstancesController {
  constructor(private readonly queries: InstanceQueries) {}

  @MessagePattern(subject('ListLinuxSubscriptionInstances'))
  instances(@Payload() { caller, input }: LinuxSubscriptionsRequest<'ListLinuxSubscriptionInstances'>) {
    return this.queries.instances(caller, input);
  }

  @MessagePattern(subject('ListLinuxSubscriptions'))
  subscriptions(@Payload() { caller, input }: LinuxSubscriptionsRequest<'ListLinuxSubscriptions'>) {
    return this.queries.subscriptions(caller, input);
  }
}
