import { presentTagKeys, tagMapWith } from '@lm/contracts';
import type { Decider } from '@lm/event-store';
import type { IdentityProviderCommand } from './commands';
import { identityProviderConflict, identityProviderNotFound } from './errors';
import type { IdentityProviderEvent } from './events';
import {
  evolveIdentityProvider,
  IDENTITY_PROVIDER_STATUSES,
  initialIdentityProviderState,
  REREGISTRABLE,
  type IdentityProviderRegistration,
  type IdentityProviderState,
  type IdentityProviderStatus,
} from './identity-provider';
import { updatedVpcSettings } from './vpc-settings';

/** The caller's registration named by `arn`; anyone else is told it does not exist. */
function own(state: IdentityProviderState, command: { arn: string; accountId: string }): IdentityProviderRegistration {
  const registration = state.registration;
  if (!registration || registration.arn !== command.arn || registration.accountId !== command.accountId)
    throw identityProviderNotFound(command.arn);
  return registration;
}

/** What every event of a registration carries. */
const refOf = (registration: IdentityProviderRegistration, now: Date) => ({
  arn: registration.arn,
  accountId: registration.accountId,
  product: registration.product,
  directoryId: registration.directory.directoryId,
  at: now.toISOString(),
});

function movable(registration: IdentityProviderRegistration, to: IdentityProviderStatus, action: string): void {
  if (!IDENTITY_PROVIDER_STATUSES.can(registration.status, to))
    throw identityProviderConflict(
      `Identity provider ${registration.arn} is ${registration.status}: it cannot be ${action}.`,
    );
}

export function decideIdentityProvider(
  command: IdentityProviderCommand,
  state: IdentityProviderState,
): IdentityProviderEvent[] {
  switch (command.type) {
    case 'RegisterIdentityProvider': {
      const current = state.registration;
      if (current && !REREGISTRABLE.includes(current.status))
        throw identityProviderConflict(
          `Directory ${current.directory.directoryId} is already registered for ${current.product} (${current.arn}, ${current.status}).`,
        );
      const { arn, accountId, region, product, directory, settings, tags, now } = command;
      return [
        {
          type: 'IdentityProviderRegistrationStarted',
          data: {
            arn,
            accountId,
            region,
            product,
            directoryId: directory.directoryId,
            directory,
            settings,
            tags,
            at: now.toISOString(),
          },
        },
      ];
    }
    case 'UpdateIdentityProviderSettings': {
      const registration = own(state, command);
      if (registration.status === 'DEREGISTERING' || registration.status === 'DEREGISTERED')
        throw identityProviderConflict(
          `Identity provider ${registration.arn} is ${registration.status}: its settings cannot change.`,
        );
      const settings = updatedVpcSettings(registration.settings, command.update);
      return [{ type: 'IdentityProviderSettingsUpdated', data: { ...refOf(registration, command.now), settings } }];
    }
    case 'DeregisterIdentityProvider': {
      const registration = own(state, command);
      movable(registration, 'DEREGISTERING', 'deregistered');
      if (command.blockers.length > 0)
        throw identityProviderConflict(
          `Identity provider ${registration.arn} cannot be deregistered yet: ${command.blockers.join('; ')}.`,
        );
      return [{ type: 'IdentityProviderDeregistrationStarted', data: refOf(registration, command.now) }];
    }
    case 'TagIdentityProvider': {
      const registration = own(state, command);
      tagMapWith(registration.tags, command.tags);
      return [{ type: 'IdentityProviderTagged', data: { ...refOf(registration, command.now), tags: command.tags } }];
    }
    case 'UntagIdentityProvider': {
      const registration = own(state, command);
      const tagKeys = presentTagKeys(registration.tags, command.tagKeys);
      if (tagKeys.length === 0) return [];
      return [{ type: 'IdentityProviderUntagged', data: { ...refOf(registration, command.now), tagKeys } }];
    }
    case 'CompleteRegistration': {
      // Deregistered or registered again meanwhile, or completed by another replica: nothing to record.
      const registration = state.registration;
      if (registration?.arn !== command.arn || registration.status !== 'REGISTERING') return [];
      const ref = refOf(registration, command.now);
      return command.outcome.reached
        ? [{ type: 'IdentityProviderRegistered', data: ref }]
        : [
            {
              type: 'IdentityProviderRegistrationFailed',
              data: { ...ref, failureMessage: command.outcome.failureMessage },
            },
          ];
    }
    case 'CompleteDeregistration': {
      const registration = state.registration;
      if (registration?.arn !== command.arn || registration.status !== 'DEREGISTERING') return [];
      return [{ type: 'IdentityProviderDeregistered', data: refOf(registration, command.now) }];
    }
  }
}

export const identityProviderDecider: Decider<IdentityProviderCommand, IdentityProviderEvent, IdentityProviderState> = {
  initialState: initialIdentityProviderState,
  evolve: evolveIdentityProvider,
  decide: decideIdentityProvider,
};

/** One stream per directory, product and account: two racing registrations of the same cannot both start. */
export const identityProviderStream = (accountId: string, directoryId: string, product: string) =>
  `identity-provider-${accountId}-${directoryId}-${product}`;
