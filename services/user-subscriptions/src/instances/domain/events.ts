import type { CataloguedEvents, ProductCode } from '@lm/contracts';
import type { Extensions } from '@lm/api-model';
import type { InstanceStatus } from './instance';

/** Which instance, and when discovery observed what the event records (`at`). */
export interface InstanceRef {
  accountId: string;
  region: string;
  instanceId: string;
  at: string;
}

/** What discovery last reported of an instance that user subscriptions care for. */
export interface InstanceAttributes {
  subnetId: string;
  productCodes: ProductCode[];
  state: Extensions.ResourceState;
}

/**
 * An instance's events: first seen in a subnet (with the status its EC2 state gives), each change
 * of its health status (ACTIVE, UNHEALTHY, TERMINATED), and a change of what it was reported with
 * that leaves its status as it was (another subnet, other product codes, stopping -> stopped).
 * A termination ends the stream: by EC2's own state, or because the inventory dropped the
 * instance after 30 days unreported (`reason`).
 */
export type InstanceEvent =
  | {
      type: 'InstanceTracked';
      data: InstanceRef & InstanceAttributes & { status: InstanceStatus; statusMessage?: string };
    }
  | { type: 'InstanceAttributesChanged'; data: InstanceRef & InstanceAttributes & { statusMessage?: string } }
  | { type: 'InstanceBecameActive'; data: InstanceRef & InstanceAttributes }
  | { type: 'InstanceBecameUnhealthy'; data: InstanceRef & InstanceAttributes & { statusMessage: string } }
  | {
      type: 'InstanceTerminated';
      data: InstanceRef & Partial<InstanceAttributes> & { reason: 'TERMINATED' | 'INACTIVATED'; statusMessage: string };
    };

/** Relayed to lm.events.user-subscriptions.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'user-subscriptions', InstanceEvent>;

export const INSTANCE_EVENT_TYPES: readonly InstanceEvent['type'][] = [
  'InstanceTracked',
  'InstanceAttributesChanged',
  'InstanceBecameActive',
  'InstanceBecameUnhealthy',
  'InstanceTerminated',
];
