import { sql, type Kysely } from 'kysely';
import { alignedStart, type StatisticSet } from '../domain/statistics';
import { dimensionsKey, type Dimension } from '../domain/usage-metrics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { UsageMetricsViews } from './usage-metrics.views';

/** One metric of one account, over a range, in periods (what GetMetricStatistics and each MetricStat read). */
export interface SeriesRequest {
  accountId: string;
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
  start: Date;
  end: Date;
  /** Seconds. */
  period: number;
  unit?: string;
}

export interface PeriodStatistics extends StatisticSet {
  timestamp: Date;
  unit: string;
}

/**
 * The statistic set of each period that has data, in time order: the metric is the exact
 * dimension set asked for (as in CloudWatch, a subset of its dimensions names another metric),
 * and only data of the unit asked for, when one is.
 */
export async function periodStatistics(
  db: Kysely<UsageMetricsViews>,
  request: SeriesRequest,
): Promise<PeriodStatistics[]> {
  const origin = alignedStart(request.start).getTime() / 1000;
  // Literals, not parameters: the same expression must appear in the select and the group by.
  const bucket = sql<number>`floor((extract(epoch from timestamp) - ${sql.lit(origin)}) / ${sql.lit(request.period)})`;
  let query = db
    .withSchema(REPORTING_SCHEMA)
    .selectFrom('metric_points')
    .select((eb) => [
      bucket.as('bucket'),
      'unit',
      eb.fn.sum<number>('sample_count').as('sample_count'),
      eb.fn.sum<number>('sum').as('sum'),
      eb.fn.min<number>('minimum').as('minimum'),
      eb.fn.max<number>('maximum').as('maximum'),
    ])
    .where('account_id', '=', request.accountId)
    .where('namespace', '=', request.namespace)
    .where('metric_name', '=', request.metricName)
    .where('dimensions_key', '=', dimensionsKey(request.dimensions))
    .where('timestamp', '>=', alignedStart(request.start))
    .where('timestamp', '<', request.end);
  if (request.unit !== undefined) query = query.where('unit', '=', request.unit);
  const rows = await query.groupBy([bucket, 'unit']).orderBy(bucket).execute();
  return rows.map((row) => ({
    timestamp: new Date((origin + Number(row.bucket) * request.period) * 1000),
    unit: row.unit,
    sampleCount: Number(row.sample_count),
    sum: Number(row.sum),
    minimum: Number(row.minimum),
    maximum: Number(row.maximum),
  }));
}
