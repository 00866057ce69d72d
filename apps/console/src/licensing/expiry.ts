const DAY_SECONDS = 24 * 60 * 60;

/**
 * The guide's notification horizon: License Manager notifies 120, 90, 60, 30 and 0 days before a
 * configuration expires. The console marks a configuration from the first of them.
 */
export const EXPIRY_HORIZON_DAYS = 120;

/** LicenseExpiry (seconds) of a date typed as YYYY-MM-DD: the last second of that day in UTC, 23:59:59. */
export function expiryOfDate(date: string): number {
  return Date.parse(`${date}T23:59:59Z`) / 1000;
}

/**
 * The ISO text of a LicenseExpiry, or undefined past the year 9999: licensing takes any positive safe
 * integer, far beyond what a date input (or a Date) can hold.
 */
function isoOf(expiry: number | bigint): string | undefined {
  const date = new Date(Number(expiry) * 1000);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999 ? undefined : date.toISOString();
}

/** The UTC day of a LicenseExpiry, as YYYY-MM-DD (a date input's value, empty if none can hold it); the inverse of expiryOfDate. */
export function dateOfExpiry(expiry: number | bigint): string {
  return isoOf(expiry)?.slice(0, 10) ?? '';
}

/**
 * The LicenseExpiry an edit sends: only a date changed from the configuration's, so that an expiry set through
 * the API at another second of its day stays as it is. An emptied date sends none: the API cannot remove one.
 */
export function expiryChange(date: string, current: number | bigint | undefined): number | undefined {
  if (date === '' || (current !== undefined && date === dateOfExpiry(current))) return undefined;
  return expiryOfDate(date);
}

/** "2027-01-31 23:59:59 UTC": the instant itself, since one set through the API may be any second of its day. */
export function expiryInstantText(expiry: number | bigint): string {
  const iso = isoOf(expiry);
  return iso === undefined ? `${expiry} s after 1970 UTC` : iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Whole days left before the expiry (0: less than a day), or undefined once it has passed. */
export function daysLeft(expiry: number | bigint, now: Date): number | undefined {
  const seconds = Number(expiry) - now.getTime() / 1000;
  // Licensing refuses associations from the expiry's own second on.
  return seconds <= 0 ? undefined : Math.floor(seconds / DAY_SECONDS);
}

export type ExpiryStatus = 'expired' | 'expiring' | 'later' | 'none';

/** Expired, expiring within the horizon (its 120th day included), later, or no expiry set. */
export function expiryStatus(expiry: number | bigint | undefined, now: Date): ExpiryStatus {
  if (expiry === undefined) return 'none';
  const left = daysLeft(expiry, now);
  if (left === undefined) return 'expired';
  return left <= EXPIRY_HORIZON_DAYS ? 'expiring' : 'later';
}

/** "60 days left", "1 day left", "less than a day left" or "expired". */
export function daysLeftText(expiry: number | bigint, now: Date): string {
  const left = daysLeft(expiry, now);
  if (left === undefined) return 'expired';
  if (left === 0) return 'less than a day left';
  return left === 1 ? '1 day left' : `${left} days left`;
}
