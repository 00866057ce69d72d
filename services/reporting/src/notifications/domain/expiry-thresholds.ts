/** The guide's expiry notices: 120, 90, 60 and 30 days before a licence expires, and on the day it does. */
export const EXPIRY_THRESHOLD_DAYS = [120, 90, 60, 30, 0] as const;

export type ExpiryThreshold = (typeof EXPIRY_THRESHOLD_DAYS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The notice due now for an expiry, or undefined. Only the nearest threshold passed is due: a
 * licence first seen 29 days before its expiry gets the 30-day notice, not the four earlier ones
 * at once. `notified` are the thresholds already sent (or passed over) for this expiry.
 */
export function dueExpiryThreshold(
  expiry: Date,
  now: Date,
  notified: readonly number[],
): { threshold: ExpiryThreshold; passedOver: ExpiryThreshold[] } | undefined {
  const passed = EXPIRY_THRESHOLD_DAYS.filter((days) => now.getTime() >= expiry.getTime() - days * DAY_MS);
  if (passed.length === 0) return undefined;
  const threshold = passed[passed.length - 1];
  if (notified.includes(threshold)) return undefined;
  return { threshold, passedOver: passed.slice(0, -1).filter((days) => !notified.includes(days)) };
}

/** Whole days left before the expiry (0 once it has passed). */
export function daysLeft(expiry: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiry.getTime() - now.getTime()) / DAY_MS));
}
