import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { ServiceSettingsCommands } from '../application/service-settings.commands';
import { ServiceSettingsQueries } from '../application/service-settings.queries';

const { subject } = operations('licensing');

@Controller()
export class ServiceSettingsController {
  constructor(
    private readonly commands: ServiceSettingsCommands,
    private readonly queries: ServiceSettingsQueries,
  ) {}

  @MessagePattern(subject('GetServiceSettings'))
  get(@Payload() { caller }: Request<'GetServiceSettings'>) {
    return this.queries.get(caller);
  }

  @MessagePattern(subject('UpdateServiceSettings'))
  async update(@Payload() { caller, input }: Request<'UpdateServiceSettings'>) {
    await this.commands.update(caller, input);
    return {};
  }
}
