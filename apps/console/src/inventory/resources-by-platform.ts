import type { LicenseManagerClient } from '../api/license-manager-client';

export interface PlatformCount {
  platform: string;
  resources: number;
}

/** How many pages of 100 the dashboard reads at most: past that it says the count is partial. */
const MAX_PAGES = 20;
export const MAX_COUNTED = MAX_PAGES * 100;

/** What a resource reported without a platform is counted as. */
export const NO_PLATFORM = 'No platform reported';

/**
 * The account's resource inventory (ListResourceInventory) counted by platform, most first. The API
 * has no aggregate: the dashboard reads the inventory page by page, up to MAX_PAGES.
 */
export async function resourcesByPlatform(
  client: LicenseManagerClient,
): Promise<{ counts: PlatformCount[]; complete: boolean }> {
  const counts = new Map<string, number>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await client.call('ListResourceInventory', { MaxResults: 100, NextToken: token });
    for (const resource of page.ResourceInventoryList ?? []) {
      const platform = resource.Platform || NO_PLATFORM;
      counts.set(platform, (counts.get(platform) ?? 0) + 1);
    }
    token = page.NextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  return {
    counts: [...counts]
      .map(([platform, resources]) => ({ platform, resources }))
      .sort((a, b) => b.resources - a.resources || a.platform.localeCompare(b.platform)),
    complete: !token,
  };
}
