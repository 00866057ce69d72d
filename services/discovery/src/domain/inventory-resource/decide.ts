import type { Decider } from '@lm/event-store';
import { mergeReport, sameAttributes } from './attributes';
import type { InventoryResourceCommand } from './commands';
import { validation } from '@lm/contracts';
import type { InventoryResourceEvent, ResourceIdentity } from './events';
import {
  evolveInventoryResource,
  INACTIVE_AFTER_MS,
  initialInventoryResourceState,
  REFRESH_AFTER_MS,
  type InventoryResource,
  type InventoryResourceState,
} from './inventory-resource';
import { stateFitsType } from './resource-types';

const identityOf = ({
  accountId,
  region,
  resourceId,
  resourceType,
  resourceArn,
}: ResourceIdentity): ResourceIdentity => ({
  accountId,
  region,
  resourceId,
  resourceType,
  resourceArn,
});

function observe(
  command: Extract<InventoryResourceCommand, { type: 'ObserveResource' }>,
  state: InventoryResourceState,
): InventoryResourceEvent[] {
  const { resource, attributes, observedAt } = command;
  if (!stateFitsType(resource.resourceType, attributes.state)) {
    throw validation(`State ${attributes.state} is not a state of a ${resource.resourceType} resource.`);
  }
  const at = observedAt.toISOString();
  if (state.status === 'unknown') {
    return [
      {
        type: 'ResourceObserved',
        data: { ...identityOf(resource), ...mergeReport(undefined, attributes), observedAt: at },
      },
    ];
  }
  const current: InventoryResource = state.resource;
  const sinceLast = observedAt.getTime() - Date.parse(current.lastObservedAt);
  // A report older than the last one recorded describes the past: it changes nothing.
  if (sinceLast < 0) return [];
  const next = mergeReport(current, attributes);
  if (!current.active || !sameAttributes(current, next)) {
    return [
      {
        type: 'ResourceObserved',
        data: { ...identityOf(current), ...next, previousState: current.state, observedAt: at },
      },
    ];
  }
  if (sinceLast >= REFRESH_AFTER_MS)
    return [{ type: 'ResourceObservationRefreshed', data: { ...identityOf(current), observedAt: at } }];
  return [];
}

export function decideInventoryResource(
  command: InventoryResourceCommand,
  state: InventoryResourceState,
): InventoryResourceEvent[] {
  switch (command.type) {
    case 'ObserveResource':
      return observe(command, state);
    case 'CheckActivity': {
      if (state.status !== 'known' || !state.resource.active) return [];
      const { lastObservedAt } = state.resource;
      if (command.now.getTime() - Date.parse(lastObservedAt) < INACTIVE_AFTER_MS) return [];
      return [
        {
          type: 'ResourceInactivated',
          data: { ...identityOf(state.resource), lastObservedAt, inactivatedAt: command.now.toISOString() },
        },
      ];
    }
  }
}

export const inventoryResourceDecider: Decider<
  InventoryResourceCommand,
  InventoryResourceEvent,
  InventoryResourceState
> = {
  initialState: initialInventoryResourceState,
  evolve: evolveInventoryResource,
  decide: decideInventoryResource,
};

/** One stream per resource; the id comes last, so whatever characters it holds the name stays unique. */
export const inventoryResourceStream = ({
  accountId,
  region,
  resourceType,
  resourceId,
}: Omit<ResourceIdentity, 'resourceArn'>) => `inventory-resource/${accountId}/${region}/${resourceType}/${resourceId}`;
