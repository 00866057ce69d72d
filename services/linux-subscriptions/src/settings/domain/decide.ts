import { isDeepStrictEqual } from 'node:util';
import type { DiscoveryScope, DiscoveryStep } from '@lm/contracts';
import { validation } from '@lm/contracts';
import type { Decider } from '@lm/event-store';
import type { DiscoverySettingsCommand } from './commands';
import {
  evolveDiscoverySettings,
  initialDiscoverySettingsState,
  pendingRegions,
  type DiscoverySettings,
  type DiscoverySettingsState,
} from './discovery-settings';
import type { DiscoverySettingsEvent } from './events';
import { FAILURE_REASONS } from './status-messages';

type Update = Extract<DiscoverySettingsCommand, { type: 'UpdateServiceSettings' }>;

const pending = (scope: DiscoveryScope, direction: DiscoveryStep['direction']): DiscoveryStep => ({
  scope,
  direction,
  state: 'Pending',
});

const sameRegions = (a: readonly string[], b: readonly string[]) => isDeepStrictEqual([...a].sort(), [...b].sort());

/** What discovery covers: its Regions, scope and accounts; nothing while disabled. */
interface Coverage {
  regions: string[];
  scope: DiscoveryScope;
  organizationAccountIds?: string[];
}

function coverageBefore(settings: DiscoverySettings | undefined): Coverage {
  if (settings?.discovery !== 'Enabled') return { regions: [], scope: 'Account' };
  const { sourceRegions: regions, organizationAccountIds } = settings;
  return { regions, scope: organizationAccountIds ? 'Org' : 'Account', organizationAccountIds };
}

/** The guide's reason the organization cannot be onboarded, when the update asks for it and is refused. */
function organizationRefusal(update: Update): string | undefined {
  if (update.organizationIntegration !== 'Enabled' || !update.organization || update.organization.granted)
    return undefined;
  return update.organization.reason;
}

function coverageAfter(update: Update): Coverage {
  if (update.discovery === 'Disabled') return { regions: [], scope: 'Account' };
  const organization = update.organizationIntegration === 'Enabled' ? update.organization : undefined;
  return organization?.granted
    ? { regions: update.sourceRegions, scope: 'Org', organizationAccountIds: organization.accountIds }
    : { regions: update.sourceRegions, scope: 'Account' };
}

/**
 * Each Region's status reasons after an update. A Region discovery leaves is offboarded; one it
 * enters is onboarded in the new scope; one it keeps with the same scope and accounts keeps its
 * reason (a failed one is tried again); a change of scope or of the organization's accounts
 * onboards anew (and going back to the account alone offboards the organization); a Region whose
 * offboarding failed is offboarded again. A refused
 * organization adds its failure to every Region while the account alone is discovered (in place
 * of the organization's offboarding when it was covered): at most two reasons a Region, as the
 * guide says. Disabled from the start, the reasons stay as they were.
 */
function regionSteps(previous: DiscoverySettings | undefined, update: Update): Record<string, DiscoveryStep[]> {
  const before = coverageBefore(previous);
  const after = coverageAfter(update);
  const leaving = new Map<string, DiscoveryScope>(
    [...before.regions.map((region) => [region, before.scope] as const), ...failedOffboardings(previous)].filter(
      ([region]) => !after.regions.includes(region),
    ),
  );
  if (leaving.size === 0 && after.regions.length === 0) return previous?.regions ?? {};
  const refusal = organizationRefusal(update);
  const sameCoverage =
    before.scope === after.scope && isDeepStrictEqual(before.organizationAccountIds, after.organizationAccountIds);
  const regions: Record<string, DiscoveryStep[]> = {};
  for (const [region, scope] of leaving) regions[region] = [pending(scope, 'Offboard')];
  for (const region of after.regions) {
    const wasCovered = before.regions.includes(region);
    const kept =
      wasCovered && sameCoverage ? previous!.regions[region]?.find((s) => s.scope === after.scope) : undefined;
    const steps =
      kept && kept.state !== 'Failed'
        ? [kept]
        : wasCovered && before.scope === 'Org' && after.scope === 'Account' && !refusal
          ? [pending('Account', 'Onboard'), pending('Org', 'Offboard')]
          : [pending(after.scope, 'Onboard')];
    if (refusal) steps.push({ scope: 'Org', direction: 'Onboard', state: 'Failed', failureReason: refusal });
    regions[region] = steps;
  }
  return regions;
}

/** The Regions discovery left but whose offboarding failed: the next update offboards them again. */
function failedOffboardings(previous: DiscoverySettings | undefined): [string, DiscoveryScope][] {
  return Object.entries(previous?.regions ?? {}).flatMap(([region, steps]) => {
    const failed = steps.find((step) => step.direction === 'Offboard' && step.state === 'Failed');
    return failed && !coverageBefore(previous).regions.includes(region) ? [[region, failed.scope]] : [];
  });
}

/** AllowUpdate guards settings already enabled; disabling waits for what blocks it (a Red Hat provider). */
function checkUpdate(previous: DiscoverySettings | undefined, update: Update): void {
  if (previous?.discovery !== 'Enabled') return;
  if (update.discovery === 'Disabled') {
    if (update.deactivationBlockers.length > 0)
      throw validation(`Linux subscriptions discovery cannot be disabled: ${update.deactivationBlockers.join('; ')}.`);
    return;
  }
  const changed =
    update.organizationIntegration !== previous.organizationIntegration ||
    !sameRegions(update.sourceRegions, previous.sourceRegions);
  if (changed && !update.allowUpdate)
    throw validation(
      'Linux subscriptions discovery is already enabled with other settings: set AllowUpdate to true to change them.',
    );
}

function updateSettings(previous: DiscoverySettings | undefined, update: Update): DiscoverySettingsEvent[] {
  checkUpdate(previous, update);
  const { accountId, homeRegion, discovery, organizationIntegration, now } = update;
  // The same Regions in another order are the same settings.
  const sourceRegions =
    previous && sameRegions(previous.sourceRegions, update.sourceRegions)
      ? previous.sourceRegions
      : update.sourceRegions;
  const { organizationAccountIds } = coverageAfter(update);
  const regions = regionSteps(previous, update);
  const unchanged =
    previous !== undefined &&
    isDeepStrictEqual(
      [previous.discovery, previous.sourceRegions, previous.organizationIntegration, previous.organizationAccountIds],
      [discovery, sourceRegions, organizationIntegration, organizationAccountIds],
    ) &&
    isDeepStrictEqual(previous.regions, regions);
  if (unchanged) return [];
  return [
    {
      type: 'DiscoverySettingsUpdated',
      data: {
        accountId,
        homeRegion,
        revision: (previous?.revision ?? 0) + 1,
        discovery,
        sourceRegions,
        organizationIntegration,
        ...(organizationAccountIds ? { organizationAccountIds } : {}),
        regions,
        at: now.toISOString(),
      },
    },
  ];
}

export function decideDiscoverySettings(
  command: DiscoverySettingsCommand,
  state: DiscoverySettingsState,
): DiscoverySettingsEvent[] {
  switch (command.type) {
    case 'UpdateServiceSettings':
      return updateSettings(state.settings, command);
    case 'LoseOrganizationAccess': {
      // The same settings again, the organization now refused: the account alone stays discovered.
      const settings = state.settings;
      if (settings?.discovery !== 'Enabled' || !settings.organizationAccountIds) return [];
      return updateSettings(settings, {
        type: 'UpdateServiceSettings',
        accountId: command.accountId,
        homeRegion: settings.homeRegion,
        discovery: 'Enabled',
        sourceRegions: settings.sourceRegions,
        organizationIntegration: 'Enabled',
        allowUpdate: true,
        organization: { granted: false, reason: FAILURE_REASONS.organizationNotAccessible },
        deactivationBlockers: [],
        now: command.now,
      });
    }
    case 'CompleteDiscoverySteps': {
      const settings = state.settings;
      // Updated again meanwhile: the newer revision has steps of its own.
      if (!settings || settings.revision !== command.revision) return [];
      const regions = pendingRegions(settings);
      if (regions.length === 0) return [];
      const { accountId, revision, failureReason } = command;
      const at = command.now.toISOString();
      return failureReason === undefined
        ? [{ type: 'DiscoveryStepsSucceeded', data: { accountId, revision, regions, at } }]
        : [{ type: 'DiscoveryStepsFailed', data: { accountId, revision, regions, failureReason, at } }];
    }
  }
}

export const discoverySettingsDecider: Decider<
  DiscoverySettingsCommand,
  DiscoverySettingsEvent,
  DiscoverySettingsState
> = {
  initialState: initialDiscoverySettingsState,
  evolve: evolveDiscoverySettings,
  decide: decideDiscoverySettings,
};

/** One stream per account: its settings are one aggregate. */
export const discoverySettingsStream = (accountId: string) => `linux-discovery-settings-${accountId}`;
