import type { Extensions } from '@lm/api-model';
import type { InventoryResourceType } from '@lm/contracts';

export type ResourceType = InventoryResourceType;
export type ResourceState = Extensions.ResourceState;
export type Tenancy = Extensions.Tenancy;

/** EC2 instance states; RDS databases and managed instances are reported in the same terms. */
const INSTANCE_STATES: readonly ResourceState[] = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
];

/** The states a report may give each resource type (the extensions API's contract). */
export const STATES_BY_TYPE: Readonly<Record<ResourceType, readonly ResourceState[]>> = {
  EC2_INSTANCE: INSTANCE_STATES,
  SYSTEMS_MANAGER_MANAGED_INSTANCE: INSTANCE_STATES,
  RDS: INSTANCE_STATES,
  EC2_AMI: ['available', 'deregistered'],
  EC2_HOST: ['available', 'released'],
};

export function stateFitsType(type: ResourceType, state: ResourceState): boolean {
  return STATES_BY_TYPE[type].includes(state);
}

/**
 * States in which the resource no longer exists. AWS lists only existing resources, so the
 * inventory leaves these out; stopped instances still exist and stay listed.
 */
const GONE_STATES: ReadonlySet<ResourceState> = new Set(['terminated', 'deregistered', 'released']);

export function isGone(state: ResourceState): boolean {
  return GONE_STATES.has(state);
}
