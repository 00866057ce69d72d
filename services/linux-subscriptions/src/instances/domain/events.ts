import type { CataloguedEvents, LinuxInstanceEventData } from '@lm/contracts';

/** The instance events (their data is part of @lm/contracts: lm.events.linux-subscriptions.*). */
export type LinuxInstanceEvent = {
  [T in keyof LinuxInstanceEventData]: { type: T; data: LinuxInstanceEventData[T] };
}[keyof LinuxInstanceEventData];

type _Published = CataloguedEvents<'linux-subscriptions', LinuxInstanceEvent>;

export const LINUX_INSTANCE_EVENT_TYPES: readonly LinuxInstanceEvent['type'][] = [
  'LinuxInstanceSubscriptionClassified',
  'LinuxInstanceSubscriptionChanged',
  'LinuxInstanceDetailsUpdated',
  'LinuxInstanceDualSubscriptionChanged',
  'LinuxInstanceProviderRegistrationChanged',
  'LinuxInstanceGone',
];
