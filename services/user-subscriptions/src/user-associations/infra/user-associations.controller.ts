import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations } from '@lm/service-kit';
import type { UserSubscriptionsRequest } from '../../shared/request';
import { AssociationCommands } from '../application/association.commands';
import { AssociationQueries } from '../application/association.queries';

const { subject } = operations('user-subscriptions');

/** The user association operations of license-manager-user-subscriptions. */
@Controller()
export class UserAssociationsController {
  constructor(
    private readonly commands: AssociationCommands,
    private readonly queries: AssociationQueries,
  ) {}

  @MessagePattern(subject('AssociateUser'))
  associate(@Payload() { caller, input }: UserSubscriptionsRequest<'AssociateUser'>) {
    return this.commands.associate(caller, input);
  }

  @MessagePattern(subject('DisassociateUser'))
  disassociate(@Payload() { caller, input }: UserSubscriptionsRequest<'DisassociateUser'>) {
    return this.commands.disassociate(caller, input);
  }

  @MessagePattern(subject('ListUserAssociations'))
  list(@Payload() { caller, input }: UserSubscriptionsRequest<'ListUserAssociations'>) {
    return this.queries.list(caller, input);
  }
}
