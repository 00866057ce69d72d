import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { UserSubscriptionsRequest } from '../../shared/request';
import { LicenseServerEndpointCommands } from '../application/license-server-endpoint.commands';
import { LicenseServerEndpointQueries } from '../application/license-server-endpoint.queries';

const { subject } = operations('user-subscriptions');

/** The license server endpoint operations of license-manager-user-subscriptions. */
@Controller()
export class LicenseServerEndpointsController {
  constructor(
    private readonly commands: LicenseServerEndpointCommands,
    private readonly queries: LicenseServerEndpointQueries,
  ) {}

  @MessagePattern(subject('CreateLicenseServerEndpoint'))
  create(@Payload() { caller, input }: UserSubscriptionsRequest<'CreateLicenseServerEndpoint'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('DeleteLicenseServerEndpoint'))
  delete(@Payload() { caller, input }: UserSubscriptionsRequest<'DeleteLicenseServerEndpoint'>) {
    return this.commands.delete(caller, input);
  }

  @MessagePattern(subject('ListLicenseServerEndpoints'))
  list(@Payload() { caller, input }: UserSubscriptionsRequest<'ListLicenseServerEndpoints'>) {
    return this.queries.list(caller, input);
  }
}
