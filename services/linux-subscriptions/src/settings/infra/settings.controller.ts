import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { LinuxSubscriptionsRequest } from '../../shared/request';
import { DiscoverySettingsCommands } from '../application/discovery-settings.commands';
import { ServiceSettingsQueries } from '../application/discovery-settings.queries';

const { subject } = operations('linux-subscriptions');

/** The service settings operations of license-manager-linux-subscriptions. */
@Controller()
export class SettingsController {
  constructor(
    private readonly commands: DiscoverySettingsCommands,
    private readonly queries: ServiceSettingsQueries,
  ) {}

  @MessagePattern(subject('GetServiceSettings'))
  get(@Payload() { caller }: LinuxSubscriptionsRequest<'GetServiceSettings'>) {
    return this.queries.get(caller);
  }

  @MessagePattern(subject('UpdateServiceSettings'))
  update(@Payload() { caller, input }: LinuxSubscriptionsRequest<'UpdateServiceSettings'>) {
    return this.commands.update(caller, input);
  }
}
