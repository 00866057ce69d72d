import { presentTagKeys, tagMapWith } from '@lm/contracts';
import type { Decider } from '@lm/event-store';
import type { SubscriptionProviderCommand } from './commands';
import { alreadyRegistered, subscriptionProviderNotFound } from './errors';
import type { SubscriptionProviderEvent } from './events';
import {
  evolveSubscriptionProvider,
  initialSubscriptionProviderState,
  type SubscriptionProvider,
  type SubscriptionProviderState,
} from './subscription-provider';

/** The caller's live provider named by `arn`; anyone else is told it does not exist. */
function own(state: SubscriptionProviderState, command: { arn: string; accountId: string }): SubscriptionProvider {
  const provider = state.provider;
  if (
    !provider ||
    provider.arn !== command.arn ||
    provider.accountId !== command.accountId ||
    provider.status === 'DEREGISTERED'
  )
    throw subscriptionProviderNotFound(command.arn);
  return provider;
}

/** What every event of a provider carries. */
const refOf = (provider: SubscriptionProvider, now: Date) => ({
  arn: provider.arn,
  accountId: provider.accountId,
  source: provider.source,
  at: now.toISOString(),
});

export function decideSubscriptionProvider(
  command: SubscriptionProviderCommand,
  state: SubscriptionProviderState,
): SubscriptionProviderEvent[] {
  switch (command.type) {
    case 'RegisterSubscriptionProvider': {
      const current = state.provider;
      if (current && current.status !== 'DEREGISTERED') throw alreadyRegistered(current.source, current.arn);
      const { arn, accountId, region, source, secretArn, tags, now } = command;
      return [
        {
          type: 'SubscriptionProviderRegistered',
          data: { arn, accountId, source, region, secretArn, tags, at: now.toISOString() },
        },
      ];
    }
    case 'RecordRetrieval': {
      // Deregistered or registered anew meanwhile: the retrieval belongs to no live provider.
      const provider = state.provider;
      if (provider?.arn !== command.arn || provider.status === 'DEREGISTERED') return [];
      const { outcome } = command;
      if (outcome.read)
        return [
          {
            type: 'SubscriptionProviderDataRetrieved',
            data: {
              ...refOf(provider, command.now),
              retrievedAt: outcome.retrievedAt.toISOString(),
              subscriptionCount: outcome.subscriptionCount,
              systemCount: outcome.systemCount,
              registeredInstanceIds: outcome.registeredInstanceIds,
            },
          },
        ];
      // The same failure again is no news.
      if (provider.status === 'INVALID' && provider.statusMessage === outcome.statusMessage) return [];
      return [
        {
          type: 'SubscriptionProviderInvalidated',
          data: { ...refOf(provider, command.now), statusMessage: outcome.statusMessage },
        },
      ];
    }
    case 'DeregisterSubscriptionProvider':
      return [{ type: 'SubscriptionProviderDeregistered', data: refOf(own(state, command), command.now) }];
    case 'TagSubscriptionProvider': {
      const provider = own(state, command);
      tagMapWith(provider.tags, command.tags, 'A subscription provider');
      return [{ type: 'SubscriptionProviderTagged', data: { ...refOf(provider, command.now), tags: command.tags } }];
    }
    case 'UntagSubscriptionProvider': {
      const provider = own(state, command);
      const tagKeys = presentTagKeys(provider.tags, command.tagKeys);
      if (tagKeys.length === 0) return [];
      return [{ type: 'SubscriptionProviderUntagged', data: { ...refOf(provider, command.now), tagKeys } }];
    }
  }
}

export const subscriptionProviderDecider: Decider<
  SubscriptionProviderCommand,
  SubscriptionProviderEvent,
  SubscriptionProviderState
> = {
  initialState: initialSubscriptionProviderState,
  evolve: evolveSubscriptionProvider,
  decide: decideSubscriptionProvider,
};

/** One stream per source and account: two racing registrations of a source cannot both start. */
export const subscriptionProviderStream = (accountId: string, source: string) =>
  `subscription-provider-${accountId}-${source}`;
