import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { ServiceSettingsHandlers } from '../application/service-settings.commands';

const { subject } = operations('licensing');

@Controller()
export class ServiceSettingsController {
  constructor(private readonly settings: ServiceSettingsHandlers) {}

  @MessagePattern(subject('GetServiceSettings'))
  get(@Payload() { caller }: Request<'GetServiceSettings'>) {
    return this.settings.get(caller);
  }

  @MessagePattern(subject('UpdateServiceSettings'))
  async update(@Payload() { caller, input }: Request<'UpdateServiceSettings'>) {
    await this.settings.update(caller, input);
    return {};
  }
}
