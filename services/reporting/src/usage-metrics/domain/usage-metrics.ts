import type { Long } from '@lm/contracts';

/**
 * The License Manager usage metrics as the guide's "Monitoring License Manager with Amazon
 * CloudWatch" names them: namespace AWSLicenseManager/licenseUsage, one dimension set
 * (LicenseConfigurationArn, LicenseConfigurationType) per license configuration.
 */
export const USAGE_NAMESPACE = 'AWSLicenseManager/licenseUsage';

export const USAGE_METRICS = {
  /** The licences the configuration makes available (its license count). */
  TotalLicenseConfigurationUsageCount: 'Count',
  /** The licences its associations consume. */
  LicenseConfigurationUsageCount: 'Count',
  /** Consumed as a percentage of the count. */
  LicenseConfigurationUsagePercentage: 'Percent',
} as const;

export type UsageMetricName = keyof typeof USAGE_METRICS;

export interface Dimension {
  Name: string;
  Value: string;
}

/** One value of one metric (a metric is a name and a dimension set) at one instant; `unit` is a CloudWatch StandardUnit. */
export interface MetricSample<Name extends string = UsageMetricName> {
  metricName: Name;
  dimensions: Dimension[];
  unit: string;
  value: number;
}

/** Dimensions in name order, as one text: a metric's identity, whatever order a caller names them in. */
export function dimensionsKey(dimensions: readonly Dimension[]): string {
  return [...dimensions]
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
    .map((d) => `${d.Name}=${d.Value}`)
    .join('\n');
}

/** A long as a metric's value: CloudWatch values are doubles, so a long past 2 ** 53 - 1 is the nearest one. */
export const metricValue = (value: Long | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);
