import { tagMapWithout } from '@lm/contracts';
import type { UserSubscriptions } from '@lm/api-model';
import { statusMachine } from '../../shared/status-machine';
import type { Product } from '../../shared/products';
import { toIdentityProviderOutput, type ActiveDirectory } from './directory';
import type { IdentityProviderEvent } from './events';
import { toSettingsOutput, type VpcSettings } from './vpc-settings';

/** The console's words: Registering, Registered, Failed, then Configuring (DEREGISTERING) until removed. */
export type IdentityProviderStatus = 'REGISTERING' | 'REGISTERED' | 'FAILED' | 'DEREGISTERING' | 'DEREGISTERED';

/**
 * Registration is asynchronous as in AWS: REGISTERING until the directory has been reached with
 * the secret's credentials. A failed registration can be deregistered or registered again; a
 * deregistered one only registered again (a new registration, with a new ARN).
 */
export const IDENTITY_PROVIDER_STATUSES = statusMachine<IdentityProviderStatus>(['REGISTERING'], {
  REGISTERING: ['REGISTERED', 'FAILED'],
  REGISTERED: ['DEREGISTERING'],
  FAILED: ['DEREGISTERING'],
  DEREGISTERING: ['DEREGISTERED'],
  DEREGISTERED: [],
});

/** Statuses from which the same directory may be registered again for the product. */
export const REREGISTRABLE: readonly IdentityProviderStatus[] = ['FAILED', 'DEREGISTERED'];

/** One registration of a directory for a product; instants are ISO strings (kept as JSON in the view). */
export interface IdentityProviderRegistration {
  arn: string;
  accountId: string;
  region: string;
  product: Product;
  directory: ActiveDirectory;
  settings?: VpcSettings;
  tags: Record<string, string>;
  status: IdentityProviderStatus;
  failureMessage?: string;
  createdAt: string;
  updatedAt: string;
}

/** The stream of one directory's registrations for one product in one account: its latest. */
export interface IdentityProviderState {
  registration?: IdentityProviderRegistration;
}

export const initialIdentityProviderState = (): IdentityProviderState => ({});

export function evolveIdentityProvider(
  state: IdentityProviderState,
  event: IdentityProviderEvent,
): IdentityProviderState {
  if (event.type === 'IdentityProviderRegistrationStarted') {
    const { arn, accountId, region, directory, settings, tags, at } = event.data;
    const product = event.data.product as Product;
    return {
      registration: {
        arn,
        accountId,
        region,
        product,
        directory,
        settings,
        tags,
        status: 'REGISTERING',
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  const registration = state.registration;
  if (!registration || registration.arn !== event.data.arn) return state;
  const changed = (changes: Partial<IdentityProviderRegistration>): IdentityProviderState => ({
    registration: { ...registration, ...changes, updatedAt: event.data.at },
  });
  switch (event.type) {
    case 'IdentityProviderRegistered':
      return changed({ status: 'REGISTERED' });
    case 'IdentityProviderRegistrationFailed':
      return changed({ status: 'FAILED', failureMessage: event.data.failureMessage });
    case 'IdentityProviderSettingsUpdated':
      return changed({ settings: event.data.settings });
    case 'IdentityProviderDeregistrationStarted':
      return changed({ status: 'DEREGISTERING' });
    case 'IdentityProviderDeregistered':
      return changed({ status: 'DEREGISTERED' });
    case 'IdentityProviderTagged':
      return changed({ tags: { ...registration.tags, ...event.data.tags } });
    case 'IdentityProviderUntagged':
      return changed({ tags: tagMapWithout(registration.tags, event.data.tagKeys) });
  }
}

/** The registration as the API's IdentityProviderSummary tells it. */
export function toIdentityProviderSummary(
  registration: IdentityProviderRegistration,
): UserSubscriptions.IdentityProviderSummary {
  return {
    IdentityProvider: toIdentityProviderOutput(registration.directory),
    Settings: toSettingsOutput(registration.settings),
    Product: registration.product,
    Status: registration.status,
    IdentityProviderArn: registration.arn,
    FailureMessage: registration.failureMessage,
    OwnerAccountId: registration.accountId,
  };
}
