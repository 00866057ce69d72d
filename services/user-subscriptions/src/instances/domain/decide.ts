import type { Decider } from '@lm/event-store';
import type { InstanceAttributes, InstanceEvent, InstanceRef } from './events';
import { observeInstance, type InstanceObservation, type InventoryInstance } from './instance';

/** What one of discovery's events says of one instance. */
export interface ObserveInstance {
  type: 'ObserveInstance';
  instance: Pick<InventoryInstance, 'accountId' | 'region' | 'instanceId'>;
  observation: InstanceObservation;
}

/** An instance's stream: one per instance (EC2 never reuses an id), in its account and Region. */
export const instanceStream = ({ accountId, region, instanceId }: ObserveInstance['instance']) =>
  `instance-${accountId}.${region}.${instanceId}`;

/**
 * Turns discovery's observations of an instance into the instance's own events: none when the
 * observation changes nothing (a redelivered or late event, a report after the termination, an
 * instance that never had a subnet), else the one event that says what changed.
 */
export const instanceDecider: Decider<ObserveInstance, InstanceEvent, InventoryInstance | undefined> = {
  initialState: () => undefined,
  evolve: evolveInstance,
  decide({ instance, observation }, current) {
    const next = observeInstance(current, instance, observation);
    if (!next || next === current) return [];
    const event = eventOf(current, next, observation);
    return event ? [event] : [];
  },
};

function eventOf(
  current: InventoryInstance | undefined,
  next: InventoryInstance,
  observation: InstanceObservation,
): InstanceEvent | undefined {
  const ref: InstanceRef = {
    accountId: next.accountId,
    region: next.region,
    instanceId: next.instanceId,
    at: next.observedAt,
  };
  const attributes: InstanceAttributes = {
    subnetId: next.subnetId,
    productCodes: next.productCodes,
    state: next.state,
  };
  const statusMessage = next.statusMessage ?? '';
  if (!current)
    return {
      type: 'InstanceTracked',
      data: { ...ref, ...attributes, status: next.status, statusMessage: next.statusMessage },
    };
  if (next.status === 'TERMINATED') {
    const inactivated = observation.type === 'inactivated';
    return {
      type: 'InstanceTerminated',
      data: {
        ...ref,
        ...(inactivated ? {} : attributes),
        reason: inactivated ? 'INACTIVATED' : 'TERMINATED',
        statusMessage,
      },
    };
  }
  if (next.status === 'ACTIVE' && current.status !== 'ACTIVE')
    return { type: 'InstanceBecameActive', data: { ...ref, ...attributes } };
  if (next.status === 'UNHEALTHY' && current.status !== 'UNHEALTHY')
    return { type: 'InstanceBecameUnhealthy', data: { ...ref, ...attributes, statusMessage } };
  if (sameAttributes(current, attributes)) return undefined;
  return { type: 'InstanceAttributesChanged', data: { ...ref, ...attributes, statusMessage: next.statusMessage } };
}

function sameAttributes(instance: InventoryInstance, attributes: InstanceAttributes): boolean {
  return (
    instance.subnetId === attributes.subnetId &&
    instance.state === attributes.state &&
    JSON.stringify(instance.productCodes) === JSON.stringify(attributes.productCodes)
  );
}

/** The instance after one of its events. */
export function evolveInstance(instance: InventoryInstance | undefined, event: InstanceEvent): InventoryInstance {
  switch (event.type) {
    case 'InstanceTracked':
    case 'InstanceAttributesChanged':
      return observed(instance, event.data);
    case 'InstanceBecameActive':
      return { ...observed(instance, event.data), status: 'ACTIVE', statusMessage: undefined };
    case 'InstanceBecameUnhealthy':
      return { ...observed(instance, event.data), status: 'UNHEALTHY' };
    case 'InstanceTerminated': {
      const { reason: _reason, ...data } = event.data;
      return { ...observed(instance, data), status: 'TERMINATED' };
    }
  }
}

/** The instance with what an event reports of it, observed at the event's time. */
function observed(
  instance: InventoryInstance | undefined,
  { at, ...reported }: InstanceRef & Partial<InventoryInstance>,
) {
  return { ...instance, ...reported, observedAt: at } as InventoryInstance;
}
