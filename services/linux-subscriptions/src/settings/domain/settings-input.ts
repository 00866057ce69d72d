import { validation } from '@lm/contracts';
import type { DiscoveryToggle } from './discovery-settings';

/** An AWS Region name: us-east-1, eu-central-2, us-gov-west-1... */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const TOGGLES: readonly string[] = ['Enabled', 'Disabled'];

/** UpdateServiceSettings' input, checked as the model and the guide want it. */
export interface SettingsInput {
  discovery: DiscoveryToggle;
  sourceRegions: string[];
  organizationIntegration: DiscoveryToggle;
  allowUpdate: boolean;
}

function toggle(value: unknown, member: string): DiscoveryToggle {
  if (typeof value !== 'string' || !TOGGLES.includes(value)) throw validation(`${member} must be Enabled or Disabled.`);
  return value as DiscoveryToggle;
}

/** The settings an UpdateServiceSettings request asks for; anything else is a ValidationException. */
export function settingsInput(input: {
  LinuxSubscriptionsDiscovery?: unknown;
  LinuxSubscriptionsDiscoverySettings?: { OrganizationIntegration?: unknown; SourceRegions?: unknown };
  AllowUpdate?: unknown;
}): SettingsInput {
  const settings = input.LinuxSubscriptionsDiscoverySettings;
  if (!settings || typeof settings !== 'object') throw validation('LinuxSubscriptionsDiscoverySettings is required.');
  const regions = settings.SourceRegions;
  if (!Array.isArray(regions) || regions.length < 1 || regions.length > 100)
    throw validation('SourceRegions must name 1 to 100 Regions.');
  for (const region of regions)
    if (typeof region !== 'string' || !REGION_NAME.test(region))
      throw validation(`${String(region)} in SourceRegions is not a Region.`);
  if (input.AllowUpdate !== undefined && typeof input.AllowUpdate !== 'boolean')
    throw validation('AllowUpdate must be a boolean.');
  return {
    discovery: toggle(input.LinuxSubscriptionsDiscovery, 'LinuxSubscriptionsDiscovery'),
    sourceRegions: [...new Set(regions as string[])],
    organizationIntegration: toggle(settings.OrganizationIntegration, 'OrganizationIntegration'),
    allowUpdate: input.AllowUpdate === true,
  };
}
