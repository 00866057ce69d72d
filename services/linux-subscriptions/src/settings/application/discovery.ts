import { coveredAccountIds, type DiscoverySettings } from '../domain/discovery-settings';

/**
 * An account's discovery as the slices that discover see it: the source Regions, and the accounts
 * whose instances it covers (the account alone, or its whole organization from the management account).
 */
export interface Discovery {
  accountId: string;
  sourceRegions: string[];
  organizationWide: boolean;
  /** Sorted; the account alone when not organization-wide. */
  coveredAccountIds: string[];
}

/** The discovery enabled settings ask for; undefined while disabled. */
export function discoveryOf(settings: DiscoverySettings): Discovery | undefined {
  if (settings.discovery !== 'Enabled') return undefined;
  return {
    accountId: settings.accountId,
    sourceRegions: settings.sourceRegions,
    organizationWide: settings.organizationAccountIds !== undefined,
    coveredAccountIds: coveredAccountIds(settings),
  };
}
