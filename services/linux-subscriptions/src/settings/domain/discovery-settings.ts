import type { DiscoverySettingsEventData, DiscoveryStep } from '@lm/contracts';
import type { DiscoverySettingsEvent } from './events';

export type DiscoveryToggle = 'Enabled' | 'Disabled';

/** An account's Linux subscriptions settings (one per account, shown in the Region it was made in). */
export interface DiscoverySettings {
  accountId: string;
  /** The Region whose service holds the settings and shows the aggregated data (HomeRegions). */
  homeRegion: string;
  revision: number;
  discovery: DiscoveryToggle;
  sourceRegions: string[];
  organizationIntegration: DiscoveryToggle;
  /** Set while discovery covers the organization: its accounts (the management account's included). */
  organizationAccountIds?: string[];
  /** Each Region's status reasons. */
  regions: Record<string, DiscoveryStep[]>;
  updatedAt: string;
}

export interface DiscoverySettingsState {
  settings?: DiscoverySettings;
}

export const initialDiscoverySettingsState = (): DiscoverySettingsState => ({});

/** The Status of GetServiceSettings: InProgress while a reason is pending, then Failed if one failed. */
export function settingsStatus(settings: DiscoverySettings): 'InProgress' | 'Completed' | 'Successful' | 'Failed' {
  const steps = Object.values(settings.regions).flat();
  if (steps.some((step) => step.state === 'Pending')) return 'InProgress';
  if (steps.some((step) => step.state === 'Failed')) return 'Failed';
  // Nothing was ever onboarded (discovery disabled from the start): nothing to report.
  return steps.length > 0 ? 'Successful' : 'Completed';
}

/** The Regions with a step still pending. */
export const pendingRegions = (settings: DiscoverySettings): string[] =>
  Object.entries(settings.regions)
    .filter(([, steps]) => steps.some((step) => step.state === 'Pending'))
    .map(([region]) => region);

/** The accounts whose instances the settings discover: none while disabled, the organization's or the account's. */
export function coveredAccountIds(settings: DiscoverySettings): string[] {
  if (settings.discovery !== 'Enabled') return [];
  return settings.organizationAccountIds ?? [settings.accountId];
}

function settled(
  settings: DiscoverySettings,
  { revision, regions }: { revision: number; regions: string[] },
  outcome: Pick<DiscoveryStep, 'state' | 'failureReason'>,
): DiscoverySettings {
  if (revision !== settings.revision) return settings;
  const settledRegions = { ...settings.regions };
  for (const region of regions)
    settledRegions[region] = (settledRegions[region] ?? []).map((step) =>
      step.state === 'Pending' ? { ...step, ...outcome } : step,
    );
  return { ...settings, regions: settledRegions };
}

function updated(data: DiscoverySettingsEventData['DiscoverySettingsUpdated']): DiscoverySettings {
  const { at, ...settings } = data;
  return { ...settings, updatedAt: at };
}

export function evolveDiscoverySettings(
  state: DiscoverySettingsState,
  event: DiscoverySettingsEvent,
): DiscoverySettingsState {
  if (event.type === 'DiscoverySettingsUpdated') return { settings: updated(event.data) };
  if (!state.settings) return state;
  switch (event.type) {
    case 'DiscoveryStepsSucceeded':
      return { settings: settled(state.settings, event.data, { state: 'Successful' }) };
    case 'DiscoveryStepsFailed':
      return {
        settings: settled(state.settings, event.data, { state: 'Failed', failureReason: event.data.failureReason }),
      };
  }
}
