import type { Decider } from '@lm/event-store';
import { mergeTags, validateTagList } from './tags';
import type { LicenseConfigurationCommand } from './commands';
import { licenseConfigurationNotFound } from './errors';
import { invalidParameterValue, isLong, presentTagKeys } from '@lm/contracts';
import type { LicenseConfigurationEvent, LicenseConfigurationSettings } from './events';
import {
  evolveLicenseConfiguration,
  initialLicenseConfigurationState,
  type LicenseConfigurationAggregate,
  type LicenseConfigurationState,
} from './license-configuration';
import { assertOnlyAffinityChanged, parseLicenseRules } from './license-rules';
import { validateProductInformation } from './product-information';

function assertSettings(
  settings: LicenseConfigurationSettings,
  countingType: LicenseConfigurationAggregate['countingType'],
): void {
  if (settings.name.trim().length === 0) throw invalidParameterValue('Name must not be empty.');
  // Any long (exact, a bigint beyond 2 ** 53 - 1): the limits compare with it exactly.
  if (settings.licenseCount !== undefined && (!isLong(settings.licenseCount) || settings.licenseCount < 0)) {
    throw invalidParameterValue('LicenseCount must be a non-negative integer.');
  }
  if (settings.hardLimit && settings.licenseCount === undefined) {
    throw invalidParameterValue('LicenseCountHardLimit needs a LicenseCount to enforce.');
  }
  if (
    settings.licenseExpiry !== undefined &&
    (!Number.isSafeInteger(settings.licenseExpiry) || settings.licenseExpiry <= 0)
  ) {
    throw invalidParameterValue('LicenseExpiry must be a positive Unix timestamp.');
  }
  parseLicenseRules(settings.rules, countingType);
  validateProductInformation(settings.productInformationList, {
    countingType,
    rules: settings.rules,
    hardLimit: settings.hardLimit,
  });
}

/**
 * LicenseExpiry as the seconds it counts: dates are computed with (to notify before it), so a long
 * beyond 2 ** 53 - 1, some 285 million years away, is refused as the timestamp it cannot be.
 */
function expirySeconds(expiry: number | bigint | undefined): number | undefined {
  if (typeof expiry === 'bigint') throw invalidParameterValue('LicenseExpiry must be a positive Unix timestamp.');
  return expiry;
}

function ownedConfiguration(
  state: LicenseConfigurationState,
  target: { arn: string; accountId: string },
): LicenseConfigurationAggregate {
  if (state.status !== 'present' || state.configuration.ownerAccountId !== target.accountId) {
    throw licenseConfigurationNotFound(target.arn);
  }
  return state.configuration;
}

/** Only the members the request sets, so that an update event records what changed. */
function requestedChanges(
  input: Extract<LicenseConfigurationCommand, { type: 'UpdateLicenseConfiguration' }>['input'],
) {
  const changes: Partial<LicenseConfigurationSettings> = {};
  if (input.Name !== undefined) changes.name = input.Name;
  if (input.Description !== undefined) changes.description = input.Description;
  if (input.LicenseCount !== undefined) changes.licenseCount = input.LicenseCount;
  if (input.LicenseCountHardLimit !== undefined) changes.hardLimit = input.LicenseCountHardLimit;
  if (input.LicenseRules !== undefined) changes.rules = input.LicenseRules;
  if (input.ProductInformationList !== undefined) changes.productInformationList = input.ProductInformationList;
  if (input.DisassociateWhenNotFound !== undefined) changes.disassociateWhenNotFound = input.DisassociateWhenNotFound;
  if (input.LicenseExpiry !== undefined) changes.licenseExpiry = expirySeconds(input.LicenseExpiry);
  if (input.LicenseConfigurationStatus !== undefined) changes.status = input.LicenseConfigurationStatus;
  return changes;
}

export function decideLicenseConfiguration(
  command: LicenseConfigurationCommand,
  state: LicenseConfigurationState,
): LicenseConfigurationEvent[] {
  switch (command.type) {
    case 'CreateLicenseConfiguration': {
      if (state.status !== 'absent') throw invalidParameterValue(`License configuration ${command.id} already exists.`);
      const { input } = command;
      const settings: LicenseConfigurationSettings = {
        name: input.Name,
        description: input.Description,
        licenseCount: input.LicenseCount,
        hardLimit: input.LicenseCountHardLimit ?? false,
        rules: input.LicenseRules ?? [],
        productInformationList: input.ProductInformationList ?? [],
        disassociateWhenNotFound: input.DisassociateWhenNotFound ?? false,
        licenseExpiry: expirySeconds(input.LicenseExpiry),
        status: 'AVAILABLE',
      };
      assertSettings(settings, input.LicenseCountingType);
      const tags = mergeTags({}, validateTagList(input.Tags ?? []));
      return [
        {
          type: 'LicenseConfigurationCreated',
          data: {
            ...settings,
            id: command.id,
            arn: command.arn,
            ownerAccountId: command.accountId,
            region: command.region,
            countingType: input.LicenseCountingType,
            tags,
            createdAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'UpdateLicenseConfiguration': {
      const current = ownedConfiguration(state, command);
      const changes = requestedChanges(command.input);
      if (changes.rules) assertOnlyAffinityChanged(current.rules, changes.rules, current.countingType);
      assertSettings({ ...current, ...changes }, current.countingType);
      return [{ type: 'LicenseConfigurationUpdated', data: { changes, updatedAt: command.now.toISOString() } }];
    }
    case 'TagLicenseConfiguration': {
      const current = ownedConfiguration(state, command);
      const tags = validateTagList(command.tags);
      mergeTags(current.tags, tags);
      return [{ type: 'LicenseConfigurationTagged', data: { tags } }];
    }
    case 'UntagLicenseConfiguration': {
      const current = ownedConfiguration(state, command);
      const present = presentTagKeys(current.tags, command.tagKeys);
      return present.length === 0 ? [] : [{ type: 'LicenseConfigurationUntagged', data: { tagKeys: present } }];
    }
    case 'DeleteLicenseConfiguration': {
      const { ownerAccountId, region, associations } = ownedConfiguration(state, command);
      // The guide: every resource must be disassociated before a configuration can be deleted.
      const associated = associations.size;
      if (associated > 0)
        throw invalidParameterValue(
          `License configuration ${command.arn} is associated with ${associated} resource(s); disassociate them first.`,
        );
      return [
        { type: 'LicenseConfigurationDeleted', data: { ownerAccountId, region, deletedAt: command.now.toISOString() } },
      ];
    }
  }
}

export const licenseConfigurationDecider: Decider<
  LicenseConfigurationCommand,
  LicenseConfigurationEvent,
  LicenseConfigurationState
> = {
  initialState: initialLicenseConfigurationState,
  evolve: evolveLicenseConfiguration,
  decide: decideLicenseConfiguration,
};

const STREAM_PREFIX = 'license-configuration-';

export const licenseConfigurationStream = (id: string) => `${STREAM_PREFIX}${id}`;

export const licenseConfigurationIdOfStream = (streamName: string) => streamName.slice(STREAM_PREFIX.length);

export const isLicenseConfigurationStream = (streamName: string) => streamName.startsWith(STREAM_PREFIX);
