import type { CataloguedEvents, IdentityProviderEventData } from '@lm/contracts';

/** The identity provider events (their data is part of @lm/contracts: lm.events.user-subscriptions.*). */
export type IdentityProviderEvent = {
  [T in keyof IdentityProviderEventData]: { type: T; data: IdentityProviderEventData[T] };
}[keyof IdentityProviderEventData];

type _Published = CataloguedEvents<'user-subscriptions', IdentityProviderEvent>;

export const IDENTITY_PROVIDER_EVENT_TYPES: readonly IdentityProviderEvent['type'][] = [
  'IdentityProviderRegistrationStarted',
  'IdentityProviderRegistered',
  'IdentityProviderRegistrationFailed',
  'IdentityProviderSettingsUpdated',
  'IdentityProviderDeregistrationStarted',
  'IdentityProviderDeregistered',
  'IdentityProviderTagged',
  'IdentityProviderUntagged',
];
