import type { LicenseManager } from '@lm/api-model';

export interface UsageBar {
  name: string;
  unit: string;
  consumed: number;
  /** None for an entitlement without a maximum (unlimited, or a value such as a tier). */
  max?: number;
  /** Of the bar's width, 0 to 1: consumed over max, capped; none without a maximum. */
  fraction?: number;
  over: boolean;
}

/** GetLicenseUsage's entitlement usages (numbers as strings) as the usage chart draws them. */
export function usageBars(usages: LicenseManager.EntitlementUsage[]): UsageBar[] {
  return usages.map((usage) => {
    const consumed = Number(usage.ConsumedValue);
    const max = usage.MaxCount === undefined ? undefined : Number(usage.MaxCount);
    const limited = max !== undefined && max > 0;
    return {
      name: usage.Name,
      unit: usage.Unit,
      consumed,
      max,
      fraction: limited ? Math.min(consumed / max, 1) : undefined,
      over: limited && consumed > max,
    };
  });
}

/** "3 of 10 Count", "2 Count" */
export const usageText = (bar: UsageBar) =>
  bar.max === undefined ? `${bar.consumed} ${bar.unit}` : `${bar.consumed} of ${bar.max} ${bar.unit}`;
