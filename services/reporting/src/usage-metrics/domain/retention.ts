const DAY_MS = 86_400_000;

/**
 * CloudWatch's retention, which the guide promises for these metrics (15 months): one-minute data
 * for 15 days, then five-minute aggregates for 63 days, then hourly ones for 455 days.
 */
export const ROLLUPS = [
  { fromResolution: 60, toResolution: 300, afterMs: 15 * DAY_MS },
  { fromResolution: 300, toResolution: 3600, afterMs: 63 * DAY_MS },
] as const;

export const RETENTION_MS = 455 * DAY_MS;
