import type { LicenseManager } from '@lm/api-model';

/** How close a configuration is to its limit: the dashboard lists those near (80 % or more) or over it. */
export type LimitStatus = 'over' | 'at' | 'near' | 'within' | 'unlimited';

export const NEAR_LIMIT = 0.8;

/** What the list, the dashboard and the detail page all read: a configuration's count and consumption. */
type Counted = Pick<LicenseManager.LicenseConfiguration, 'LicenseCount' | 'ConsumedLicenses'>;

export function limitStatus(configuration: Counted): LimitStatus {
  const count = configuration.LicenseCount;
  const consumed = configuration.ConsumedLicenses ?? 0;
  if (count === undefined || count === 0) return 'unlimited';
  if (consumed > count) return 'over';
  if (consumed === count) return 'at';
  return consumed >= Number(count) * NEAR_LIMIT ? 'near' : 'within';
}

export const LIMIT_LABELS: Record<LimitStatus, string> = {
  over: 'Over the limit',
  at: 'At the limit',
  near: 'Near the limit',
  within: 'Within the limit',
  unlimited: 'No limit',
};

/** "3 of 4" or "3" when the configuration sets no count. */
export function usageText(configuration: Counted): string {
  const consumed = configuration.ConsumedLicenses ?? 0;
  return configuration.LicenseCount ? `${consumed} of ${configuration.LicenseCount}` : String(consumed);
}

/** The API's timestamps are epoch seconds; shown in the browser's locale. */
export const formatTime = (epochSeconds: number | undefined) =>
  epochSeconds === undefined ? '—' : new Date(epochSeconds * 1000).toLocaleString();
