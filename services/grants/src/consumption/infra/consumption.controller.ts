import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { LicenseConsumptionCommands } from '../application/license-consumption.commands';
import { LicenseConsumptionQueries } from '../application/license-consumption.queries';
import { operations, type Request } from '@lm/service-kit';

const { subject } = operations('grants');

/** NATS handlers of checkout, borrow, check-in, extension and usage; the gateway has validated the input. */
@Controller()
export class ConsumptionController {
  constructor(
    private readonly commands: LicenseConsumptionCommands,
    private readonly queries: LicenseConsumptionQueries,
  ) {}

  @MessagePattern(subject('CheckoutLicense'))
  checkout(@Payload() { caller, input }: Request<'CheckoutLicense'>) {
    return this.commands.checkout(caller, input);
  }

  @MessagePattern(subject('CheckoutBorrowLicense'))
  borrow(@Payload() { caller, input }: Request<'CheckoutBorrowLicense'>) {
    return this.commands.borrow(caller, input);
  }

  @MessagePattern(subject('CheckInLicense'))
  checkIn(@Payload() { caller, input }: Request<'CheckInLicense'>) {
    return this.commands.checkIn(caller, input);
  }

  @MessagePattern(subject('ExtendLicenseConsumption'))
  extend(@Payload() { caller, input }: Request<'ExtendLicenseConsumption'>) {
    return this.commands.extend(caller, input);
  }

  @MessagePattern(subject('GetLicenseUsage'))
  usage(@Payload() { caller, input }: Request<'GetLicenseUsage'>) {
    return this.queries.usageOf(caller, input.LicenseArn);
  }
}
