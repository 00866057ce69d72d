import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { LinuxSubscriptionsRequest } from '../../shared/request';
import { SubscriptionProviderCommands } from '../application/subscription-provider.commands';
import { SubscriptionProviderQueries } from '../application/subscription-provider.queries';

const { subject } = operations('linux-subscriptions');

/** The subscription provider operations of license-manager-linux-subscriptions. */
@Controller()
export class SubscriptionProvidersController {
  constructor(
    private readonly commands: SubscriptionProviderCommands,
    private readonly queries: SubscriptionProviderQueries,
  ) {}

  @MessagePattern(subject('RegisterSubscriptionProvider'))
  register(@Payload() { caller, input }: LinuxSubscriptionsRequest<'RegisterSubscriptionProvider'>) {
    return this.commands.register(caller, input);
  }

  @MessagePattern(subject('DeregisterSubscriptionProvider'))
  deregister(@Payload() { caller, input }: LinuxSubscriptionsRequest<'DeregisterSubscriptionProvider'>) {
    return this.commands.deregister(caller, input);
  }

  @MessagePattern(subject('GetRegisteredSubscriptionProvider'))
  get(@Payload() { caller, input }: LinuxSubscriptionsRequest<'GetRegisteredSubscriptionProvider'>) {
    return this.queries.get(caller, input);
  }

  @MessagePattern(subject('ListRegisteredSubscriptionProviders'))
  list(@Payload() { caller, input }: LinuxSubscriptionsRequest<'ListRegisteredSubscriptionProviders'>) {
    return this.queries.list(caller, input);
  }
}
