import type { Extensions } from '@lm/api-model';
import type { ProductCode } from '@lm/contracts';
import { statusMachine } from '../../shared/status-machine';

/**
 * The console's Health status of a user-subscription instance: Active (running: its users can
 * connect), Unhealthy (not running, so its users cannot connect), Terminated. A stop is not a
 * termination (the guide: stopping an instance does not disassociate its users); a terminated
 * instance stays terminated (EC2 never reuses an instance id).
 */
export type InstanceStatus = 'ACTIVE' | 'UNHEALTHY' | 'TERMINATED';

export const INSTANCE_STATUSES = statusMachine<InstanceStatus>(['ACTIVE', 'UNHEALTHY', 'TERMINATED'], {
  ACTIVE: ['UNHEALTHY', 'TERMINATED'],
  UNHEALTHY: ['ACTIVE', 'TERMINATED'],
  TERMINATED: [],
});

/** An EC2 instance of the inventory as user subscriptions follow it (from discovery's events). */
export interface InventoryInstance {
  accountId: string;
  region: string;
  instanceId: string;
  subnetId: string;
  productCodes: ProductCode[];
  state: Extensions.ResourceState;
  status: InstanceStatus;
  statusMessage?: string;
  /** When discovery last observed it (LastStatusCheckDate), ISO 8601. */
  observedAt: string;
}

/** What one of discovery's events says of an instance. */
export type InstanceObservation =
  | {
      type: 'observed';
      subnetId: string | null;
      productCodes: ProductCode[];
      state: Extensions.ResourceState;
      observedAt: string;
    }
  /** Not reported for 30 days: the inventory no longer holds it. */
  | { type: 'inactivated'; inactivatedAt: string };

/**
 * The instance after an observation, or `current` when it changes nothing: an observation older
 * than the last one (events of one resource may be delivered again, or late), or anything after
 * a termination. An instance never reported with a subnet is none of user subscriptions' concern
 * (undefined).
 */
export function observeInstance(
  current: InventoryInstance | undefined,
  identity: Pick<InventoryInstance, 'accountId' | 'region' | 'instanceId'>,
  observation: InstanceObservation,
): InventoryInstance | undefined {
  if (current?.status === 'TERMINATED') return current;
  if (observation.type === 'inactivated') {
    if (!current) return undefined;
    return {
      ...current,
      status: 'TERMINATED',
      statusMessage: 'The inventory has not heard of the instance for 30 days: it is taken as terminated.',
      observedAt: observation.inactivatedAt,
    };
  }
  if (current && observation.observedAt < current.observedAt) return current;
  const subnetId = observation.subnetId ?? current?.subnetId;
  if (!subnetId) return undefined;
  const { status, statusMessage } = healthOf(observation.state);
  if (current && !INSTANCE_STATUSES.can(current.status, status) && current.status !== status) return current;
  return {
    ...identity,
    subnetId,
    productCodes: observation.productCodes,
    state: observation.state,
    status,
    statusMessage,
    observedAt: observation.observedAt,
  };
}

/** The health an EC2 state gives: running is Active; terminated is Terminated; any other state leaves users unable to connect. */
function healthOf(state: Extensions.ResourceState): { status: InstanceStatus; statusMessage?: string } {
  switch (state) {
    case 'running':
      return { status: 'ACTIVE' };
    case 'terminated':
      return { status: 'TERMINATED', statusMessage: 'The instance was terminated: its users were disassociated.' };
    default:
      return {
        status: 'UNHEALTHY',
        statusMessage: `The instance is ${state}: its users cannot connect until it runs.`,
      };
  }
}
