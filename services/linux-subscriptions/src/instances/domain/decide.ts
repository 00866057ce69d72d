import type { Decider } from '@lm/event-store';
import type { DualSubscriptionReason, LinuxInstanceDescription, ProviderRegistrationDescription } from '@lm/contracts';
import {
  classifiedAs,
  classify,
  isDualSubscription,
  PLAIN_LINUX_USAGE_OPERATION,
  type Classification,
} from './classification';
import type { InventoryObservation, LinuxInstanceCommand } from './commands';
import type { LinuxInstanceEvent } from './events';
import {
  evolveLinuxInstance,
  initialLinuxInstanceState,
  type LinuxInstance,
  type LinuxInstanceId,
  type LinuxInstanceState,
} from './linux-instance';

const refOf = (id: LinuxInstanceId, now: Date) => ({
  accountId: id.accountId,
  region: id.region,
  instanceId: id.instanceId,
  at: now.toISOString(),
});

function descriptionOf(classification: Classification, observation: InventoryObservation): LinuxInstanceDescription {
  return {
    subscriptionName: classification.subscriptionName,
    subscriptionType: classification.subscriptionType,
    osVersion: classification.osVersion,
    usageOperation: observation.usageOperation ?? PLAIN_LINUX_USAGE_OPERATION,
    productCodes: observation.productCodes.map((code) => code.productCodeId).sort(),
    amiId: observation.amiId ?? undefined,
    instanceType: observation.instanceType ?? undefined,
    status: observation.state,
    lastUpdatedTime: observation.observedAt,
  };
}

/** The flag and why, for a classification and whether the provider lists the instance. */
function dualOf(
  classification: Classification,
  registered: boolean,
): { dualSubscription: boolean; dualSubscriptionReason?: DualSubscriptionReason } {
  if (!isDualSubscription(classification, registered)) return { dualSubscription: false };
  return {
    dualSubscription: true,
    dualSubscriptionReason: classification.rhel7Els ? 'RHEL_7_ELS' : 'REGISTERED_WITH_PROVIDER',
  };
}

const sameDescription = (a: LinuxInstanceDescription, b: LinuxInstanceDescription) =>
  a.subscriptionName === b.subscriptionName &&
  a.subscriptionType === b.subscriptionType &&
  a.osVersion === b.osVersion &&
  a.usageOperation === b.usageOperation &&
  a.productCodes.join() === b.productCodes.join() &&
  a.amiId === b.amiId &&
  a.instanceType === b.instanceType &&
  a.status === b.status;

const sameRegistration = (a?: ProviderRegistrationDescription, b?: ProviderRegistrationDescription) =>
  a?.subscriptionProviderArn === b?.subscriptionProviderArn &&
  a?.subscriptionProviderCreateTime === b?.subscriptionProviderCreateTime &&
  a?.subscriptionProviderUpdateTime === b?.subscriptionProviderUpdateTime;

/** The dual subscription and registration events that move `instance` to what is now known. */
function reconciled(
  instance: LinuxInstance,
  classification: Classification,
  registration: ProviderRegistrationDescription | undefined,
  now: Date,
): LinuxInstanceEvent[] {
  const ref = refOf(instance, now);
  const events: LinuxInstanceEvent[] = [];
  if (!sameRegistration(instance.providerRegistration, registration))
    events.push({
      type: 'LinuxInstanceProviderRegistrationChanged',
      data: registration ? { ...ref, providerRegistration: registration } : ref,
    });
  const dual = dualOf(classification, registration !== undefined);
  if (
    dual.dualSubscription !== instance.dualSubscription ||
    dual.dualSubscriptionReason !== instance.dualSubscriptionReason
  )
    events.push({ type: 'LinuxInstanceDualSubscriptionChanged', data: { ...ref, ...dual } });
  return events;
}

function observed(
  state: LinuxInstanceState,
  command: Extract<LinuxInstanceCommand, { type: 'ObserveInstance' }>,
): LinuxInstanceEvent[] {
  const { id, observation, providerRegistration, now } = command;
  const current = state.instance;
  // Events of one resource may come again, or late, and a reconciliation may have read an older
  // observation: one older than the last decided on changes nothing, even once the instance is gone.
  if (state.lastObservedAt !== undefined && observation.observedAt < state.lastObservedAt) return [];
  const ref = refOf(id, now);
  const { observedAt } = observation;
  if (observation.state === 'terminated')
    return current ? [{ type: 'LinuxInstanceGone', data: { ...ref, reason: 'TERMINATED', observedAt } }] : [];
  const classification = classify(observation);
  if (!classification)
    return current
      ? [{ type: 'LinuxInstanceGone', data: { ...ref, reason: 'NO_LINUX_SUBSCRIPTION', observedAt } }]
      : [];
  const description = descriptionOf(classification, observation);
  if (!current)
    return [
      {
        type: 'LinuxInstanceSubscriptionClassified',
        data: {
          ...ref,
          ...description,
          ...dualOf(classification, providerRegistration !== undefined),
          ...(providerRegistration ? { providerRegistration } : {}),
        },
      },
    ];
  const events: LinuxInstanceEvent[] = [];
  if (
    current.subscriptionName !== description.subscriptionName ||
    current.subscriptionType !== description.subscriptionType
  )
    events.push({
      type: 'LinuxInstanceSubscriptionChanged',
      data: { ...ref, ...description, previousSubscriptionName: current.subscriptionName },
    });
  else if (!sameDescription(current, description))
    events.push({ type: 'LinuxInstanceDetailsUpdated', data: { ...ref, ...description } });
  return [...events, ...reconciled(current, classification, providerRegistration, now)];
}

export function decideLinuxInstance(command: LinuxInstanceCommand, state: LinuxInstanceState): LinuxInstanceEvent[] {
  switch (command.type) {
    case 'ObserveInstance':
      return observed(state, command);
    case 'RecordProviderRegistration': {
      const instance = state.instance;
      const classification = instance && classifiedAs(instance.subscriptionName, instance.osVersion);
      if (!instance || !classification) return [];
      return reconciled(instance, classification, command.providerRegistration, command.now);
    }
    case 'ForgetInstance':
      return state.instance
        ? [{ type: 'LinuxInstanceGone', data: { ...refOf(command.id, command.now), reason: command.reason } }]
        : [];
  }
}

export const linuxInstanceDecider: Decider<LinuxInstanceCommand, LinuxInstanceEvent, LinuxInstanceState> = {
  initialState: initialLinuxInstanceState,
  evolve: evolveLinuxInstance,
  decide: decideLinuxInstance,
};
