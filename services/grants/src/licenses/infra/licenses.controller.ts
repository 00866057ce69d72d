import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { LicenseCommands } from '../application/license.commands';
import { LicenseQueries } from '../application/license.queries';
import { operations, type Request } from '@lm/service-kit';

const { subject } = operations('grants');

/** NATS handlers of the seller-issued licence operations; the gateway has validated the input. */
@Controller()
export class LicensesController {
  constructor(
    private readonly commands: LicenseCommands,
    private readonly queries: LicenseQueries,
  ) {}

  @MessagePattern(subject('CreateLicense'))
  create(@Payload() { caller, input }: Request<'CreateLicense'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('CreateLicenseVersion'))
  createVersion(@Payload() { caller, input }: Request<'CreateLicenseVersion'>) {
    return this.commands.createVersion(caller, input);
  }

  @MessagePattern(subject('DeleteLicense'))
  delete(@Payload() { caller, input }: Request<'DeleteLicense'>) {
    return this.commands.delete(caller, input);
  }

  @MessagePattern(subject('GetLicense'))
  get(@Payload() { caller, input }: Request<'GetLicense'>) {
    return this.queries.get(caller, input);
  }

  @MessagePattern(subject('ListLicenses'))
  list(@Payload() { caller, input }: Request<'ListLicenses'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('ListLicenseVersions'))
  listVersions(@Payload() { caller, input }: Request<'ListLicenseVersions'>) {
    return this.queries.listVersions(caller, input);
  }
}
