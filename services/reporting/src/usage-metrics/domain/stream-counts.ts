import type { Dimension, MetricSample } from './usage-metrics';

/**
 * A metric counted over event streams: each stream (a user's product subscription, an instance)
 * counts in the series its last event applied puts it in (none, one, or a few: an instance counts
 * per subscription, per subscription and Region, and in its organization's aggregate), and each
 * series' value is how many streams count in it. One series is one account's metric with its
 * dimensions, in unit Count.
 */
export interface CountedSeries {
  accountId: string;
  metricName: string;
  dimensions: Dimension[];
}

/** A series' count, as kept between events (hourly sampled: never deleted, a count lives on at 0). */
export interface SeriesCount extends CountedSeries {
  count: number;
  deleted: false;
}

export const seriesCount = (series: CountedSeries, count: number): SeriesCount => ({
  accountId: series.accountId,
  metricName: series.metricName,
  dimensions: series.dimensions,
  count,
  deleted: false,
});

export const countSample = (series: SeriesCount): MetricSample<string> => ({
  metricName: series.metricName,
  dimensions: series.dimensions,
  unit: 'Count',
  value: series.count,
});

/** Names a series' sample within what made it (an event, an hour): its metric and dimension values. */
export const countSampleKey = (series: CountedSeries): string =>
  [series.metricName, ...series.dimensions.map((dimension) => dimension.Value)].join(':');

/**
 * The series whose counts change when a stream moves from the series `before` to those `after`
 * (keys): those it leaves and those it joins; not those it stays in. Sorted, the order their rows
 * are locked in.
 */
export function seriesToRecount(before: readonly string[], after: readonly string[]): string[] {
  const left = before.filter((key) => !after.includes(key));
  const joined = after.filter((key) => !before.includes(key));
  return [...new Set([...left, ...joined])].sort();
}
