import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import { IdentityProviderCommands } from '../application/identity-provider.commands';
import { IdentityProviderQueries } from '../application/identity-provider.queries';
import type { UserSubscriptionsRequest } from '../../shared/request';

const { subject } = operations('user-subscriptions');

/** The identity provider operations of license-manager-user-subscriptions. */
@Controller()
export class IdentityProvidersController {
  constructor(
    private readonly commands: IdentityProviderCommands,
    private readonly queries: IdentityProviderQueries,
  ) {}

  @MessagePattern(subject('RegisterIdentityProvider'))
  register(@Payload() { caller, input }: UserSubscriptionsRequest<'RegisterIdentityProvider'>) {
    return this.commands.register(caller, input);
  }

  @MessagePattern(subject('DeregisterIdentityProvider'))
  deregister(@Payload() { caller, input }: UserSubscriptionsRequest<'DeregisterIdentityProvider'>) {
    return this.commands.deregister(caller, input);
  }

  @MessagePattern(subject('UpdateIdentityProviderSettings'))
  updateSettings(@Payload() { caller, input }: UserSubscriptionsRequest<'UpdateIdentityProviderSettings'>) {
    return this.commands.updateSettings(caller, input);
  }

  @MessagePattern(subject('ListIdentityProviders'))
  list(@Payload() { caller, input }: UserSubscriptionsRequest<'ListIdentityProviders'>) {
    return this.queries.list(caller, input);
  }
}
