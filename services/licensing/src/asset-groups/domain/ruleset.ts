import type { LicenseManager } from '@lm/api-model';
import type { Decider } from '@lm/event-store';
import { invalidParameterValue, presentTagKeys } from '@lm/contracts';
import { mergeTags, validateTagList } from '../../configurations/domain/tags';
import { clientTokenReused, rulesetNotFound } from './errors';
import type { Idempotency, LicenseAssetRulesetCreatedData, RulesetEvent, RulesetSettings } from './events';
import { validateRules } from './rule-statements';

/** A custom ruleset as its stream folds to. */
export type Ruleset = LicenseAssetRulesetCreatedData & { updatedAt?: string };
export type RulesetState = { status: 'absent' } | { status: 'present'; ruleset: Ruleset } | { status: 'deleted' };

interface Target {
  arn: string;
  accountId: string;
}

export type RulesetCommand =
  | ({
      type: 'CreateLicenseAssetRuleset';
      id: string;
      region: string;
      now: Date;
      input: LicenseManager.CreateLicenseAssetRulesetRequest;
    } & Target &
      Idempotency)
  | ({ type: 'UpdateLicenseAssetRuleset'; now: Date; input: LicenseManager.UpdateLicenseAssetRulesetRequest } & Target)
  | ({ type: 'TagLicenseAssetRuleset'; tags: LicenseManager.Tag[] } & Target)
  | ({ type: 'UntagLicenseAssetRuleset'; tagKeys: string[] } & Target)
  | ({ type: 'DeleteLicenseAssetRuleset'; now: Date } & Target);

function assertSettings(settings: RulesetSettings): void {
  if (settings.name.trim() === '') throw invalidParameterValue('Name must not be empty.');
  validateRules(settings.rules);
}

function owned(state: RulesetState, target: Target): Ruleset {
  if (state.status !== 'present' || state.ruleset.ownerAccountId !== target.accountId)
    throw rulesetNotFound(target.arn);
  return state.ruleset;
}

export function decideRuleset(command: RulesetCommand, state: RulesetState): RulesetEvent[] {
  switch (command.type) {
    case 'CreateLicenseAssetRuleset': {
      // The id is the ClientToken's (idOfClientToken): a retry of the same request finds what it made.
      if (state.status === 'present' && state.ruleset.requestHash === command.requestHash) return [];
      if (state.status !== 'absent') throw clientTokenReused(command.clientToken);
      const { input } = command;
      const settings: RulesetSettings = { name: input.Name, description: input.Description, rules: input.Rules };
      assertSettings(settings);
      const tags = mergeTags({}, validateTagList(input.Tags ?? []));
      return [
        {
          type: 'LicenseAssetRulesetCreated',
          data: {
            ...settings,
            id: command.id,
            arn: command.arn,
            ownerAccountId: command.accountId,
            region: command.region,
            tags,
            clientToken: command.clientToken,
            requestHash: command.requestHash,
            createdAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'UpdateLicenseAssetRuleset': {
      const current = owned(state, command);
      const { input } = command;
      const settings: RulesetSettings = {
        name: input.Name ?? current.name,
        description: input.Description ?? current.description,
        rules: input.Rules,
      };
      assertSettings(settings);
      return [{ type: 'LicenseAssetRulesetUpdated', data: { settings, updatedAt: command.now.toISOString() } }];
    }
    case 'TagLicenseAssetRuleset': {
      const current = owned(state, command);
      const tags = validateTagList(command.tags);
      mergeTags(current.tags, tags);
      return [{ type: 'LicenseAssetRulesetTagged', data: { tags } }];
    }
    case 'UntagLicenseAssetRuleset': {
      const current = owned(state, command);
      const present = presentTagKeys(current.tags, command.tagKeys);
      return present.length === 0 ? [] : [{ type: 'LicenseAssetRulesetUntagged', data: { tagKeys: present } }];
    }
    case 'DeleteLicenseAssetRuleset': {
      // Whether a group still uses it is the asset groups guard's to say, in the append's transaction.
      const { ownerAccountId } = owned(state, command);
      return [{ type: 'LicenseAssetRulesetDeleted', data: { ownerAccountId, deletedAt: command.now.toISOString() } }];
    }
  }
}

export function evolveRuleset(state: RulesetState, event: RulesetEvent): RulesetState {
  switch (event.type) {
    case 'LicenseAssetRulesetCreated':
      return { status: 'present', ruleset: { ...event.data } };
    case 'LicenseAssetRulesetDeleted':
      return { status: 'deleted' };
  }
  if (state.status !== 'present') return state;
  const ruleset = state.ruleset;
  switch (event.type) {
    case 'LicenseAssetRulesetUpdated':
      return { status: 'present', ruleset: { ...ruleset, ...event.data.settings, updatedAt: event.data.updatedAt } };
    case 'LicenseAssetRulesetTagged':
      return { status: 'present', ruleset: { ...ruleset, tags: { ...ruleset.tags, ...event.data.tags } } };
    case 'LicenseAssetRulesetUntagged': {
      const tags = { ...ruleset.tags };
      for (const key of event.data.tagKeys) delete tags[key];
      return { status: 'present', ruleset: { ...ruleset, tags } };
    }
  }
}

export const rulesetDecider: Decider<RulesetCommand, RulesetEvent, RulesetState> = {
  initialState: () => ({ status: 'absent' }),
  evolve: evolveRuleset,
  decide: decideRuleset,
};

const STREAM_PREFIX = 'license-asset-ruleset-';
export const rulesetStream = (id: string) => `${STREAM_PREFIX}${id}`;
export const isRulesetStream = (streamName: string) => streamName.startsWith(STREAM_PREFIX);
export const rulesetIdOfStream = (streamName: string) => streamName.slice(STREAM_PREFIX.length);
