import type { DualSubscriptionReason, LinuxInstanceDescription, ProviderRegistrationDescription } from '@lm/contracts';
import type { LinuxInstanceEvent } from './events';

/** Which instance: the inventory's identity of an EC2 instance. */
export interface LinuxInstanceId {
  accountId: string;
  region: string;
  instanceId: string;
}

/** An instance discovered with a commercial Linux subscription, as ListLinuxSubscriptionInstances shows it. */
export interface LinuxInstance extends LinuxInstanceId, LinuxInstanceDescription {
  dualSubscription: boolean;
  dualSubscriptionReason?: DualSubscriptionReason;
  providerRegistration?: ProviderRegistrationDescription;
}

/**
 * One instance's stream: `instance` undefined while it is not discovered (never, or gone);
 * `lastObservedAt`: the latest observation decided on, kept when it is gone, so that an older one
 * (an event delivered late, a reconciliation's earlier read) changes nothing.
 */
export interface LinuxInstanceState {
  instance?: LinuxInstance;
  lastObservedAt?: string;
}

export const initialLinuxInstanceState = (): LinuxInstanceState => ({});

const descriptionOf = (data: LinuxInstanceDescription): LinuxInstanceDescription => ({
  subscriptionName: data.subscriptionName,
  subscriptionType: data.subscriptionType,
  osVersion: data.osVersion,
  usageOperation: data.usageOperation,
  productCodes: data.productCodes,
  amiId: data.amiId,
  instanceType: data.instanceType,
  status: data.status,
  lastUpdatedTime: data.lastUpdatedTime,
});

export function evolveLinuxInstance(state: LinuxInstanceState, event: LinuxInstanceEvent): LinuxInstanceState {
  const { data } = event;
  const id = { accountId: data.accountId, region: data.region, instanceId: data.instanceId };
  const instance = state.instance;
  switch (event.type) {
    case 'LinuxInstanceSubscriptionClassified':
      return {
        lastObservedAt: event.data.lastUpdatedTime,
        instance: {
          ...id,
          ...descriptionOf(event.data),
          dualSubscription: event.data.dualSubscription,
          dualSubscriptionReason: event.data.dualSubscriptionReason,
          providerRegistration: event.data.providerRegistration,
        },
      };
    case 'LinuxInstanceSubscriptionChanged':
    case 'LinuxInstanceDetailsUpdated':
      return instance
        ? { lastObservedAt: event.data.lastUpdatedTime, instance: { ...instance, ...descriptionOf(event.data) } }
        : state;
    case 'LinuxInstanceDualSubscriptionChanged':
      return instance
        ? {
            ...state,
            instance: {
              ...instance,
              dualSubscription: event.data.dualSubscription,
              dualSubscriptionReason: event.data.dualSubscriptionReason,
            },
          }
        : state;
    case 'LinuxInstanceProviderRegistrationChanged':
      return instance
        ? { ...state, instance: { ...instance, providerRegistration: event.data.providerRegistration } }
        : state;
    case 'LinuxInstanceGone':
      return { lastObservedAt: event.data.observedAt ?? state.lastObservedAt };
  }
}

/** One stream per instance of an account in a Region. */
export const linuxInstanceStream = ({ accountId, region, instanceId }: LinuxInstanceId) =>
  `linux-instance-${accountId}-${region}-${instanceId}`;
