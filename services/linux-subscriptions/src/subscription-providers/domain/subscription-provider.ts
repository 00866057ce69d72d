import { tagMapWithout } from '@lm/contracts';
import type { LinuxSubscriptions } from '@lm/api-model';
import type { SubscriptionProviderEvent } from './events';

/**
 * PENDING until the first retrieval read the Red Hat account, then ACTIVE after each one that did,
 * INVALID when one could not (its status message says why); a later retrieval that reads the
 * account makes an INVALID provider ACTIVE again (the administrator fixed the secret's token).
 * DEREGISTERED is the stream's own: the API no longer shows the provider.
 */
export type SubscriptionProviderStatus = LinuxSubscriptions.SubscriptionProviderStatus | 'DEREGISTERED';

export type SubscriptionProviderSource = LinuxSubscriptions.SubscriptionProviderSource;

/** One registration of a provider in one account; instants are ISO strings (kept as JSON in the view). */
export interface SubscriptionProvider {
  arn: string;
  accountId: string;
  region: string;
  source: SubscriptionProviderSource;
  /** The Secrets Manager secret that holds the offline token (never the token). */
  secretArn: string;
  tags: Record<string, string>;
  status: SubscriptionProviderStatus;
  statusMessage?: string;
  lastSuccessfulDataRetrievalTime?: string;
  /** The EC2 instances the last successful retrieval found registered with the provider. */
  registeredInstanceIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** The stream of one source's providers in one account: its latest registration. */
export interface SubscriptionProviderState {
  provider?: SubscriptionProvider;
}

export const initialSubscriptionProviderState = (): SubscriptionProviderState => ({});

export function evolveSubscriptionProvider(
  state: SubscriptionProviderState,
  event: SubscriptionProviderEvent,
): SubscriptionProviderState {
  if (event.type === 'SubscriptionProviderRegistered') {
    const { arn, accountId, region, source, secretArn, tags, at } = event.data;
    return {
      provider: {
        arn,
        accountId,
        region,
        source: source as SubscriptionProviderSource,
        secretArn,
        tags,
        status: 'PENDING',
        registeredInstanceIds: [],
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  const provider = state.provider;
  if (!provider || provider.arn !== event.data.arn) return state;
  const changed = (changes: Partial<SubscriptionProvider>): SubscriptionProviderState => ({
    provider: { ...provider, ...changes, updatedAt: event.data.at },
  });
  switch (event.type) {
    case 'SubscriptionProviderDataRetrieved':
      return changed({
        status: 'ACTIVE',
        statusMessage: undefined,
        lastSuccessfulDataRetrievalTime: event.data.retrievedAt,
        registeredInstanceIds: event.data.registeredInstanceIds,
      });
    case 'SubscriptionProviderInvalidated':
      return changed({ status: 'INVALID', statusMessage: event.data.statusMessage });
    case 'SubscriptionProviderDeregistered':
      return changed({ status: 'DEREGISTERED', registeredInstanceIds: [] });
    case 'SubscriptionProviderTagged':
      return changed({ tags: { ...provider.tags, ...event.data.tags } });
    case 'SubscriptionProviderUntagged':
      return changed({ tags: tagMapWithout(provider.tags, event.data.tagKeys) });
  }
}

/** The provider as GetRegisteredSubscriptionProvider and ListRegisteredSubscriptionProviders tell it. */
export function toRegisteredSubscriptionProvider(
  provider: SubscriptionProvider,
): LinuxSubscriptions.RegisteredSubscriptionProvider {
  return {
    SubscriptionProviderArn: provider.arn,
    SubscriptionProviderSource: provider.source,
    SecretArn: provider.secretArn,
    SubscriptionProviderStatus: provider.status === 'DEREGISTERED' ? undefined : provider.status,
    SubscriptionProviderStatusMessage: provider.statusMessage,
    LastSuccessfulDataRetrievalTime: provider.lastSuccessfulDataRetrievalTime,
  };
}
