import type { LicenseManager, Monitoring } from '@lm/api-model';
import type { MonitoringClient } from '../api/monitoring-client';

/** Reporting's usage metrics (docs/reporting.md, "Usage metrics"). */
export const NAMESPACE = 'AWSLicenseManager/licenseUsage';

/** A time window a chart shows, and the period its points are gathered by (at most a few hundred points). */
export interface TimeRange {
  id: string;
  label: string;
  seconds: number;
  period: number;
}

const HOUR = 3600;
const DAY = 24 * HOUR;
export const TIME_RANGES: readonly TimeRange[] = [
  { id: '3h', label: 'Last 3 hours (1-minute periods)', seconds: 3 * HOUR, period: 60 },
  { id: '1d', label: 'Last 24 hours (5-minute periods)', seconds: DAY, period: 300 },
  { id: '1w', label: 'Last 7 days (hourly)', seconds: 7 * DAY, period: HOUR },
  { id: '30d', label: 'Last 30 days (6-hour periods)', seconds: 30 * DAY, period: 6 * HOUR },
];

/** A value at a time (epoch seconds). */
export interface Point {
  time: number;
  value: number;
}

export interface Series {
  label: string;
  points: Point[];
}

/** What a chart draws: its series over the window [start, end] (epoch seconds). */
export interface SeriesWindow {
  start: number;
  end: number;
  series: Series[];
}

/** A gauge of the namespace, by its exact dimension set (CloudWatch matches the whole set). */
export interface Gauge {
  metricName: string;
  dimensions: Monitoring.Dimension[];
}

/** CloudWatch takes up to 500 queries a request; fewer keep each answer small. */
const QUERIES_PER_REQUEST = 100;

/**
 * Each gauge's Maximum per period over the window (the peak in each period: what a usage chart shows),
 * oldest first, read with GetMetricData page by page.
 */
export async function readGauges(
  client: MonitoringClient,
  gauges: readonly Gauge[],
  range: TimeRange,
  now: number,
): Promise<{ start: number; end: number; points: Point[][] }> {
  const start = Math.floor((now - range.seconds) / range.period) * range.period;
  const end = Math.ceil(now);
  const points: Point[][] = gauges.map(() => []);
  for (let first = 0; first < gauges.length; first += QUERIES_PER_REQUEST) {
    const queries = gauges
      .slice(first, first + QUERIES_PER_REQUEST)
      .map((gauge, index): Monitoring.MetricDataQuery => ({
        Id: `m${first + index}`,
        MetricStat: {
          Metric: { Namespace: NAMESPACE, MetricName: gauge.metricName, Dimensions: gauge.dimensions },
          Period: range.period,
          Stat: 'Maximum',
        },
      }));
    let nextToken: string | undefined;
    do {
      const page = await client.call('GetMetricData', {
        MetricDataQueries: queries,
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      });
      for (const result of page.MetricDataResults ?? []) {
        const target = points[Number(result.Id?.slice(1))];
        result.Timestamps?.forEach((time, i) => target?.push({ time, value: result.Values![i] }));
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return { start, end, points: points.map((list) => [...list].sort((a, b) => a.time - b.time)) };
}

/**
 * The sum of gauges over time: at each time any of them has a point, the sum of each one's latest
 * value at or before it (a gauge holds its value until its next point; one with none yet counts 0).
 */
export function sumOfGauges(series: readonly Point[][]): Point[] {
  const times = [...new Set(series.flatMap((points) => points.map((p) => p.time)))].sort((a, b) => a - b);
  const next = series.map(() => 0);
  const latest = series.map(() => 0);
  return times.map((time) => {
    series.forEach((points, i) => {
      while (next[i] < points.length && points[next[i]].time <= time) latest[i] = points[next[i]++].value;
    });
    return { time, value: latest.reduce((sum, value) => sum + value, 0) };
  });
}

/** A configuration as its metrics name it: its ARN and counting type (LicenseConfigurationType). */
export interface MeteredConfiguration {
  arn: string;
  countingType: string;
  /** Whether it sets a count: the total and percentage gauges exist only then. */
  counted: boolean;
}

export const meteredConfiguration = (c: LicenseManager.LicenseConfiguration): MeteredConfiguration => ({
  arn: c.LicenseConfigurationArn!,
  countingType: c.LicenseCountingType!,
  counted: c.LicenseCount !== undefined,
});

const configurationGauge = (metricName: string, c: MeteredConfiguration): Gauge => ({
  metricName,
  dimensions: [
    { Name: 'LicenseConfigurationArn', Value: c.arn },
    { Name: 'LicenseConfigurationType', Value: c.countingType },
  ],
});

/** One configuration's licences in use and its count, over the window. */
export async function configurationUsage(
  client: MonitoringClient,
  configuration: MeteredConfiguration,
  range: TimeRange,
  now: number,
): Promise<SeriesWindow> {
  const gauges = [configurationGauge('LicenseConfigurationUsageCount', configuration)];
  if (configuration.counted) gauges.push(configurationGauge('TotalLicenseConfigurationUsageCount', configuration));
  const { start, end, points } = await readGauges(client, gauges, range, now);
  const series = [{ label: 'Licenses consumed', points: points[0] }];
  if (configuration.counted) series.push({ label: 'Number of licenses', points: points[1] });
  return { start, end, series };
}

/** The account's licences in use across its configurations, and their counts, over the window. */
export async function accountUsage(
  client: MonitoringClient,
  configurations: readonly MeteredConfiguration[],
  range: TimeRange,
  now: number,
): Promise<SeriesWindow> {
  const counted = configurations.filter((c) => c.counted);
  const gauges = [
    ...configurations.map((c) => configurationGauge('LicenseConfigurationUsageCount', c)),
    ...counted.map((c) => configurationGauge('TotalLicenseConfigurationUsageCount', c)),
  ];
  const { start, end, points } = await readGauges(client, gauges, range, now);
  return {
    start,
    end,
    series: [
      { label: 'Licenses consumed', points: sumOfGauges(points.slice(0, configurations.length)) },
      { label: 'Number of licenses', points: sumOfGauges(points.slice(configurations.length)) },
    ],
  };
}

/** A seller-issued licence's entitlements in use (those with a unit: the others are never counted). */
export async function entitlementUsage(
  client: MonitoringClient,
  licenseArn: string,
  entitlementNames: readonly string[],
  range: TimeRange,
  now: number,
): Promise<SeriesWindow> {
  const gauges = entitlementNames.map((name) => ({
    metricName: 'LicenseEntitlementUsageCount',
    dimensions: [
      { Name: 'LicenseArn', Value: licenseArn },
      { Name: 'EntitlementName', Value: name },
    ],
  }));
  const { start, end, points } = await readGauges(client, gauges, range, now);
  return { start, end, series: entitlementNames.map((name, i) => ({ label: `${name} in use`, points: points[i] })) };
}
