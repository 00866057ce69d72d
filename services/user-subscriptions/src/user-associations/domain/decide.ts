import type { Decider } from '@lm/event-store';
import { conflict, resourceNotFound, presentTagKeys, tagMapWith } from '@lm/contracts';
import {
  ASSOCIATION_STATUSES,
  evolveUserAssociation,
  initialUserAssociationState,
  type UserAssociation,
  type UserAssociationState,
} from './association';
import type { UserAssociationCommand } from './commands';
import type { UserAssociationEvent } from './events';

/** The caller's association named by `arn`; anyone else is told it does not exist. */
function own(state: UserAssociationState, command: { arn: string; accountId: string }): UserAssociation {
  const current = state.association;
  if (!current || current.accountId !== command.accountId || current.arn !== command.arn)
    throw resourceNotFound(`Instance user ${command.arn}`);
  return current;
}

/** What every event of an association carries. */
const refOf = (association: UserAssociation, now: Date) => ({
  arn: association.arn,
  accountId: association.accountId,
  instanceId: association.instanceId,
  directoryId: association.directoryId,
  username: association.username,
  domain: association.domain,
  at: now.toISOString(),
});

export function decideUserAssociation(
  command: UserAssociationCommand,
  state: UserAssociationState,
): UserAssociationEvent[] {
  const current = state.association;
  switch (command.type) {
    case 'AssociateUser': {
      if (current && !ASSOCIATION_STATUSES.can(current.status, 'ASSOCIATING'))
        throw conflict(
          `User ${current.username} is already ${current.status} with instance ${current.instanceId} (${current.arn}).`,
        );
      const { arn, accountId, region, instanceId, directoryId, username, domain, identityProviderArns, tags } = command;
      return [
        {
          type: 'UserAssociationRequested',
          data: {
            ...{ arn, accountId, region, instanceId, directoryId, username, domain, identityProviderArns, tags },
            products: [...command.products].sort(),
            at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'DisassociateUser': {
      const association = own(state, command);
      if (!ASSOCIATION_STATUSES.can(association.status, 'DISASSOCIATED'))
        throw conflict(
          `User ${association.username} is ${association.status} with instance ${association.instanceId}: only an associated user can be disassociated.`,
        );
      return [
        {
          type: 'UserDisassociated',
          data: { ...refOf(association, command.now), reason: 'REQUESTED', statusMessage: 'Disassociated on request.' },
        },
      ];
    }
    case 'TagInstanceUser': {
      const association = own(state, command);
      tagMapWith(association.tags, command.tags);
      return [{ type: 'InstanceUserTagged', data: { ...refOf(association, command.now), tags: command.tags } }];
    }
    case 'UntagInstanceUser': {
      const association = own(state, command);
      const tagKeys = presentTagKeys(association.tags, command.tagKeys);
      if (tagKeys.length === 0) return [];
      return [{ type: 'InstanceUserUntagged', data: { ...refOf(association, command.now), tagKeys } }];
    }
    case 'CompleteAssociation': {
      // Settled already (by another replica), disassociated meanwhile, or a later period: nothing to record.
      if (current?.arn !== command.arn || current.status !== 'ASSOCIATING') return [];
      const ref = refOf(current, command.now);
      return command.outcome.associated
        ? [{ type: 'UserAssociated', data: ref }]
        : [{ type: 'UserAssociationFailed', data: { ...ref, statusMessage: command.outcome.statusMessage } }];
    }
    case 'EndWithInstance': {
      if (current?.arn !== command.arn || !ASSOCIATION_STATUSES.can(current.status, 'DISASSOCIATED')) return [];
      return [
        {
          type: 'UserDisassociated',
          data: {
            ...refOf(current, command.now),
            reason: command.reason,
            statusMessage: `Instance ${current.instanceId} was terminated: its users are disassociated.`,
          },
        },
      ];
    }
  }
}

export const userAssociationDecider: Decider<UserAssociationCommand, UserAssociationEvent, UserAssociationState> = {
  initialState: initialUserAssociationState,
  evolve: evolveUserAssociation,
  decide: decideUserAssociation,
};
