import { isDeepStrictEqual } from 'node:util';
import type { LicenseManager } from '@lm/api-model';
import type { Decider } from '@lm/event-store';
import { invalidParameterValue, type LicenseAssetGroupUsageAnalysedData, presentTagKeys } from '@lm/contracts';
import { mergeTags, validateTagList } from '../../configurations/domain/tags';
import { parseRulesetArn } from './arn';
import { clientTokenReused, groupNotFound, rulesetNotFound } from './errors';
import type {
  GroupEvent,
  GroupSettings,
  GroupStatus,
  Idempotency,
  LicenseAssetGroupCreatedData,
  UsageDimension,
} from './events';
import { managedRuleset } from './managed-rulesets';

/** A group as its stream folds to, with the usage last recorded. */
export type Group = LicenseAssetGroupCreatedData & { updatedAt?: string; usage?: LicenseAssetGroupUsageAnalysedData };

/** A group's usage as worked out from its members (the event's data without who and when). */
export type GroupUsage = Omit<LicenseAssetGroupUsageAnalysedData, 'groupArn' | 'ownerAccountId' | 'analysedAt'>;
export type GroupState = { status: 'absent' } | { status: 'present'; group: Group } | { status: 'deleted' };

interface Target {
  arn: string;
  accountId: string;
}

export type GroupCommand =
  | ({
      type: 'CreateLicenseAssetGroup';
      id: string;
      region: string;
      now: Date;
      input: LicenseManager.CreateLicenseAssetGroupRequest;
    } & Target &
      Idempotency)
  | ({
      type: 'UpdateLicenseAssetGroup';
      region: string;
      now: Date;
      input: LicenseManager.UpdateLicenseAssetGroupRequest;
    } & Target)
  | ({ type: 'TagLicenseAssetGroup'; tags: LicenseManager.Tag[] } & Target)
  | ({ type: 'UntagLicenseAssetGroup'; tagKeys: string[] } & Target)
  | ({ type: 'DeleteLicenseAssetGroup'; now: Date } & Target)
  | ({ type: 'AnalyseLicenseAssetGroupUsage'; now: Date; usage: GroupUsage } & Target);

/** The usage is recorded again, unchanged, after this long: the metrics' hourly points. */
export const USAGE_REFRESH_MS = 60 * 60 * 1000;

/** The guide's usage dimensions: "vCPU, Sockets, Instance, or Core". */
export const USAGE_DIMENSIONS: readonly UsageDimension[] = ['vCPU', 'Sockets', 'Instance', 'Core'];
const STATUSES: readonly GroupStatus[] = ['ACTIVE', 'DISABLED'];
const MAX_PROPERTIES = 50;

function usageDimensionOf(configurations: LicenseManager.LicenseAssetGroupConfiguration[] | undefined): UsageDimension {
  if (!configurations || configurations.length !== 1)
    throw invalidParameterValue(
      'LicenseAssetGroupConfigurations must hold exactly one configuration (its UsageDimension).',
    );
  const dimension = configurations[0].UsageDimension;
  if (!USAGE_DIMENSIONS.includes(dimension as UsageDimension))
    throw invalidParameterValue(`UsageDimension must be one of ${USAGE_DIMENSIONS.join(', ')} (not ${dimension}).`);
  return dimension as UsageDimension;
}

/**
 * The group's rulesets, once each: AWS-managed rulesets of this Region and the caller's own custom
 * ones (that they exist now is the asset groups guard's to check, in the append's transaction).
 */
function rulesetArnsOf(arns: string[] | undefined, accountId: string, region: string): string[] {
  if (!arns || arns.length === 0)
    throw invalidParameterValue('AssociatedLicenseAssetRulesetARNs needs at least one ruleset.');
  for (const arn of arns) {
    if (managedRuleset(region, arn)) continue;
    const parts = parseRulesetArn(arn);
    if (!parts || parts.accountId !== accountId || parts.region !== region) throw rulesetNotFound(arn);
  }
  return [...new Set(arns)];
}

function propertiesOf(properties: LicenseManager.LicenseAssetGroupProperty[] | undefined) {
  const list = properties ?? [];
  if (list.length > MAX_PROPERTIES) throw invalidParameterValue(`A group has at most ${MAX_PROPERTIES} properties.`);
  const keys = new Set<string>();
  for (const { Key, Value } of list) {
    if (!Key || Key.trim() === '') throw invalidParameterValue('A property Key must not be empty.');
    if (typeof Value !== 'string') throw invalidParameterValue(`Property ${Key} needs a Value.`);
    if (keys.has(Key)) throw invalidParameterValue(`Property ${Key} is given twice.`);
    keys.add(Key);
  }
  return list.map(({ Key, Value }) => ({ Key, Value }));
}

const nameOf = (name: string) => {
  if (name.trim() === '') throw invalidParameterValue('Name must not be empty.');
  return name;
};

function owned(state: GroupState, target: Target): Group {
  if (state.status !== 'present' || state.group.ownerAccountId !== target.accountId) throw groupNotFound(target.arn);
  return state.group;
}

/** Only the members the request sets, so that an update event records what changed. */
function requestedChanges(command: Extract<GroupCommand, { type: 'UpdateLicenseAssetGroup' }>): Partial<GroupSettings> {
  const { input } = command;
  const changes: Partial<GroupSettings> = {
    rulesetArns: rulesetArnsOf(input.AssociatedLicenseAssetRulesetARNs, command.accountId, command.region),
  };
  if (input.Name !== undefined) changes.name = nameOf(input.Name);
  if (input.Description !== undefined) changes.description = input.Description;
  if (input.LicenseAssetGroupConfigurations !== undefined)
    changes.usageDimension = usageDimensionOf(input.LicenseAssetGroupConfigurations);
  if (input.Properties !== undefined) changes.properties = propertiesOf(input.Properties);
  if (input.Status !== undefined) {
    if (!STATUSES.includes(input.Status as GroupStatus))
      throw invalidParameterValue(
        `Status must be ACTIVE or DISABLED (not ${input.Status}); delete a group with DeleteLicenseAssetGroup.`,
      );
    changes.status = input.Status as GroupStatus;
  }
  return changes;
}

export function decideGroup(command: GroupCommand, state: GroupState): GroupEvent[] {
  switch (command.type) {
    case 'CreateLicenseAssetGroup': {
      // The id is the ClientToken's (groupIdFor): a retry of the same request finds what it made.
      if (state.status === 'present' && state.group.requestHash === command.requestHash) return [];
      if (state.status !== 'absent') throw clientTokenReused(command.clientToken);
      const { input } = command;
      return [
        {
          type: 'LicenseAssetGroupCreated',
          data: {
            name: nameOf(input.Name),
            description: input.Description,
            usageDimension: usageDimensionOf(input.LicenseAssetGroupConfigurations),
            rulesetArns: rulesetArnsOf(input.AssociatedLicenseAssetRulesetARNs, command.accountId, command.region),
            properties: propertiesOf(input.Properties),
            status: 'ACTIVE',
            id: command.id,
            arn: command.arn,
            ownerAccountId: command.accountId,
            region: command.region,
            tags: mergeTags({}, validateTagList(input.Tags ?? [])),
            clientToken: command.clientToken,
            requestHash: command.requestHash,
            createdAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'UpdateLicenseAssetGroup': {
      owned(state, command);
      return [
        {
          type: 'LicenseAssetGroupUpdated',
          data: { changes: requestedChanges(command), updatedAt: command.now.toISOString() },
        },
      ];
    }
    case 'TagLicenseAssetGroup': {
      const current = owned(state, command);
      const tags = validateTagList(command.tags);
      mergeTags(current.tags, tags);
      return [{ type: 'LicenseAssetGroupTagged', data: { tags } }];
    }
    case 'UntagLicenseAssetGroup': {
      const current = owned(state, command);
      const present = presentTagKeys(current.tags, command.tagKeys);
      return present.length === 0 ? [] : [{ type: 'LicenseAssetGroupUntagged', data: { tagKeys: present } }];
    }
    case 'DeleteLicenseAssetGroup': {
      // Irreversible; its rulesets stay (the guide: "Rulesets associated with this license asset group will not be deleted").
      const { ownerAccountId } = owned(state, command);
      return [{ type: 'LicenseAssetGroupDeleted', data: { ownerAccountId, deletedAt: command.now.toISOString() } }];
    }
    case 'AnalyseLicenseAssetGroupUsage': {
      // A group deleted meanwhile has no more usage.
      if (state.status !== 'present') return [];
      const { arn, ownerAccountId, usage: last } = state.group;
      const { analysedAt: _at, groupArn: _arn, ownerAccountId: _owner, ...lastUsage } = last ?? {};
      const unchanged = last !== undefined && isDeepStrictEqual(lastUsage, command.usage);
      if (unchanged && command.now.getTime() - Date.parse(last.analysedAt) < USAGE_REFRESH_MS) return [];
      return [
        {
          type: 'LicenseAssetGroupUsageAnalysed',
          data: { groupArn: arn, ownerAccountId, ...command.usage, analysedAt: command.now.toISOString() },
        },
      ];
    }
  }
}

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  switch (event.type) {
    case 'LicenseAssetGroupCreated':
      return { status: 'present', group: { ...event.data } };
    case 'LicenseAssetGroupDeleted':
      return { status: 'deleted' };
  }
  if (state.status !== 'present') return state;
  const group = state.group;
  switch (event.type) {
    case 'LicenseAssetGroupUpdated':
      return { status: 'present', group: { ...group, ...event.data.changes, updatedAt: event.data.updatedAt } };
    case 'LicenseAssetGroupTagged':
      return { status: 'present', group: { ...group, tags: { ...group.tags, ...event.data.tags } } };
    case 'LicenseAssetGroupUntagged': {
      const tags = { ...group.tags };
      for (const key of event.data.tagKeys) delete tags[key];
      return { status: 'present', group: { ...group, tags } };
    }
    case 'LicenseAssetGroupUsageAnalysed':
      return { status: 'present', group: { ...group, usage: event.data } };
  }
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = {
  initialState: () => ({ status: 'absent' }),
  evolve: evolveGroup,
  decide: decideGroup,
};

const STREAM_PREFIX = 'license-asset-group-';
export const groupStream = (id: string) => `${STREAM_PREFIX}${id}`;
export const isGroupStream = (streamName: string) => streamName.startsWith(STREAM_PREFIX);
export const groupIdOfStream = (streamName: string) => streamName.slice(STREAM_PREFIX.length);
