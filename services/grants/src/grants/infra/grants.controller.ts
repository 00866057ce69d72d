import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GrantCommands } from '../application/grant.commands';
import { GrantQueries } from '../application/grant.queries';
import { operations, type Request } from '@lm/service-kit';

const { subject } = operations('grants');

/** NATS handlers of the grant operations; the gateway has validated the input. */
@Controller()
export class GrantsController {
  constructor(
    private readonly commands: GrantCommands,
    private readonly queries: GrantQueries,
  ) {}

  @MessagePattern(subject('CreateGrant'))
  create(@Payload() { caller, input }: Request<'CreateGrant'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('CreateGrantVersion'))
  createVersion(@Payload() { caller, input }: Request<'CreateGrantVersion'>) {
    return this.commands.createVersion(caller, input);
  }

  @MessagePattern(subject('AcceptGrant'))
  accept(@Payload() { caller, input }: Request<'AcceptGrant'>) {
    return this.commands.accept(caller, input.GrantArn);
  }

  @MessagePattern(subject('RejectGrant'))
  reject(@Payload() { caller, input }: Request<'RejectGrant'>) {
    return this.commands.reject(caller, input.GrantArn);
  }

  @MessagePattern(subject('DeleteGrant'))
  delete(@Payload() { caller, input }: Request<'DeleteGrant'>) {
    return this.commands.delete(caller, input);
  }

  @MessagePattern(subject('GetGrant'))
  get(@Payload() { caller, input }: Request<'GetGrant'>) {
    return this.queries.get(caller, input);
  }

  @MessagePattern(subject('ListDistributedGrants'))
  listDistributed(@Payload() { caller, input }: Request<'ListDistributedGrants'>) {
    return this.queries.listDistributed(caller, input);
  }

  @MessagePattern(subject('ListReceivedGrants'))
  listReceived(@Payload() { caller, input }: Request<'ListReceivedGrants'>) {
    return this.queries.listReceived(caller, input);
  }

  @MessagePattern(subject('ListReceivedGrantsForOrganization'))
  listReceivedForOrganization(@Payload() { caller, input }: Request<'ListReceivedGrantsForOrganization'>) {
    return this.queries.listReceivedForOrganization(caller, input);
  }

  @MessagePattern(subject('ListReceivedLicenses'))
  listReceivedLicenses(@Payload() { caller, input }: Request<'ListReceivedLicenses'>) {
    return this.queries.listReceivedLicenses(caller, input);
  }

  @MessagePattern(subject('ListReceivedLicensesForOrganization'))
  listReceivedLicensesForOrganization(@Payload() { caller, input }: Request<'ListReceivedLicensesForOrganization'>) {
    return this.queries.listReceivedLicensesForOrganization(caller, input);
  }
}
