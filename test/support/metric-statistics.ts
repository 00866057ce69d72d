import { connectedClient } from './test-database';

/** One series' statistic set over one minute, as reporting's data points hold it. */
export interface MinuteStatistics {
  account_id: string;
  namespace: string;
  metric_name: string;
  dimensions_key: string;
  unit: string;
  resolution: number;
  minute: Date;
  sample_count: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/**
 * Reporting's data points as every reader of them sees them (GetMetricStatistics, GetMetricData,
 * the alarms): each series' statistic set per minute, since periods are whole minutes from a whole
 * minute and a consumer's batch writes a series' changes of one minute as one point. Sums are
 * rounded to 6 decimals: points merged in another order add their floats in another order. Only
 * the points that `condition` (SQL on metric_points, its `$n` bound to `values`) holds for.
 */
export async function statisticsPerMinute(
  databaseUrl: string,
  condition = 'true',
  values: unknown[] = [],
): Promise<MinuteStatistics[]> {
  const db = await connectedClient(databaseUrl);
  try {
    const { rows } = await db.query<MinuteStatistics>(
      `select account_id, namespace, metric_name, dimensions_key, unit, resolution,
              date_trunc('minute', timestamp) as minute, sum(sample_count)::float8 as sample_count,
              round(sum(sum)::numeric, 6)::float8 as sum, min(minimum) as minimum, max(maximum) as maximum
       from reporting.metric_points where ${condition}
       group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`,
      values,
    );
    return rows;
  } finally {
    await db.end();
  }
}

/** The samples the statistic sets hold, in all. */
export const samplesIn = (statistics: readonly MinuteStatistics[]): number =>
  statistics.reduce((samples, row) => samples + row.sample_count, 0);
