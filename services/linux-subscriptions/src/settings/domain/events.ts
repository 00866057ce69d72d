import type { CataloguedEvents, DiscoverySettingsEventData } from '@lm/contracts';

/** The discovery settings events (their data is part of @lm/contracts: lm.events.linux-subscriptions.*). */
export type DiscoverySettingsEvent = {
  [T in keyof DiscoverySettingsEventData]: { type: T; data: DiscoverySettingsEventData[T] };
}[keyof DiscoverySettingsEventData];

type _Published = CataloguedEvents<'linux-subscriptions', DiscoverySettingsEvent>;

export const DISCOVERY_SETTINGS_EVENT_TYPES: readonly DiscoverySettingsEvent['type'][] = [
  'DiscoverySettingsUpdated',
  'DiscoveryStepsSucceeded',
  'DiscoveryStepsFailed',
];
