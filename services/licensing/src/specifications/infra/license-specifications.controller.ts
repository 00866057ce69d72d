import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { LicenseSpecificationCommands } from '../application/license-specification.commands';
import { LicenseSpecificationQueries } from '../application/license-specification.queries';

const { subject } = operations('licensing');

/** Associations of resources with configurations, and what they consume. */
@Controller()
export class LicenseSpecificationsController {
  constructor(
    private readonly commands: LicenseSpecificationCommands,
    private readonly queries: LicenseSpecificationQueries,
  ) {}

  @MessagePattern(subject('UpdateLicenseSpecificationsForResource'))
  async update(@Payload() { caller, input }: Request<'UpdateLicenseSpecificationsForResource'>) {
    await this.commands.update(caller, input);
    return {};
  }

  @MessagePattern(subject('ListLicenseSpecificationsForResource'))
  ofResource(@Payload() { caller, input }: Request<'ListLicenseSpecificationsForResource'>) {
    return this.queries.ofResource(caller, input);
  }

  @MessagePattern(subject('ListAssociationsForLicenseConfiguration'))
  associations(@Payload() { caller, input }: Request<'ListAssociationsForLicenseConfiguration'>) {
    return this.queries.associations(caller, input);
  }

  @MessagePattern(subject('ListFailuresForLicenseConfigurationOperations'))
  failures(@Payload() { caller, input }: Request<'ListFailuresForLicenseConfigurationOperations'>) {
    return this.queries.failures(caller, input);
  }

  @MessagePattern(subject('ListUsageForLicenseConfiguration'))
  usage(@Payload() { caller, input }: Request<'ListUsageForLicenseConfiguration'>) {
    return this.queries.usage(caller, input);
  }
}
