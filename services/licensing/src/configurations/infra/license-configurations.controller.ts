import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { LicenseConfigurationCommands } from '../application/license-configuration.commands';
import { LicenseConfigurationQueries } from '../application/license-configuration.queries';

const { subject } = operations('licensing');

/** NATS handlers of the license configuration operations; the gateway has validated the input. */
@Controller()
export class LicenseConfigurationsController {
  constructor(
    private readonly commands: LicenseConfigurationCommands,
    private readonly queries: LicenseConfigurationQueries,
  ) {}

  @MessagePattern(subject('CreateLicenseConfiguration'))
  create(@Payload() { caller, input }: Request<'CreateLicenseConfiguration'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('GetLicenseConfiguration'))
  get(@Payload() { caller, input }: Request<'GetLicenseConfiguration'>) {
    return this.queries.get(caller, input.LicenseConfigurationArn);
  }

  @MessagePattern(subject('ListLicenseConfigurations'))
  list(@Payload() { caller, input }: Request<'ListLicenseConfigurations'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('ListLicenseConfigurationsForOrganization'))
  listForOrganization(@Payload() { caller, input }: Request<'ListLicenseConfigurationsForOrganization'>) {
    return this.queries.listForOrganization(caller, input);
  }

  @MessagePattern(subject('UpdateLicenseConfiguration'))
  async update(@Payload() { caller, input }: Request<'UpdateLicenseConfiguration'>) {
    await this.commands.update(caller, input);
    return {};
  }

  @MessagePattern(subject('DeleteLicenseConfiguration'))
  async delete(@Payload() { caller, input }: Request<'DeleteLicenseConfiguration'>) {
    await this.commands.delete(caller, input.LicenseConfigurationArn);
    return {};
  }
}
