import { stringifyExactJson } from '@lm/contracts';
import { precompiled, type StatementPipeline } from '@lm/event-store';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { usageSamples, type ConfigurationUsage } from '../domain/configuration-usage';
import { hourBoundaries } from '../domain/hourly-points';
import { dimensionsKey, USAGE_NAMESPACE, type MetricSample } from '../domain/usage-metrics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { MetricPointsTable, UsageMetricsViews } from './usage-metrics.views';

type Db = Transaction<UsageMetricsViews>;

/** The samples one account sees at one instant. */
export interface AccountSamples {
  accountId: string;
  samples: MetricSample<string>[];
}

/** A row of metric_points as it is inserted. */
export type MetricPointRow = Insertable<MetricPointsTable>;

/**
 * Samples taken at one instant as one-minute data points of one sample each. `source` names what
 * made them (an event, an hour) and `sampleKey` each sample within it: a second write of the same
 * source adds nothing (insertMetricPoints), so redeliveries and replays cannot count a sample twice.
 */
export function accountSampleRows(
  sampled: readonly AccountSamples[],
  at: Date,
  source: string,
  sampleKey: (accountId: string, sample: MetricSample<string>) => string,
): MetricPointRow[] {
  return sampled.flatMap(({ accountId, samples }) =>
    samples.map((sample) => ({
      account_id: accountId,
      namespace: USAGE_NAMESPACE,
      metric_name: sample.metricName,
      dimensions: JSON.stringify(sample.dimensions),
      dimensions_key: dimensionsKey(sample.dimensions),
      unit: sample.unit,
      timestamp: at,
      resolution: 60,
      sample_count: 1,
      sum: sample.value,
      minimum: sample.value,
      maximum: sample.value,
      source: `${source}:${sampleKey(accountId, sample)}`,
    })),
  );
}

/**
 * The points of one series in one minute as one statistic set (their sample counts and sums
 * added, the least minimum and the greatest maximum), at the first one's instant, without a source.
 * Periods are whole minutes from a whole minute (statistics.ts), so every statistic of every query
 * is what the separate points gave; a consumer's batch of changes to one hot configuration or
 * licence (tens a second) writes a row per metric and minute instead of one per change. For the
 * points of events only: it is the consumers' ledger and stream versions, not the sources, that
 * keep an event from being applied twice. A source would only cost its entry in the sources' unique
 * index and the check against it: about a fifth of what PostgreSQL spent on each point
 * (docs/performance.md, item 65).
 */
export function mergedByMinute(rows: readonly MetricPointRow[]): MetricPointRow[] {
  const merged = new Map<string, MetricPointRow>();
  for (const row of rows) {
    const minute = Math.floor(new Date(row.timestamp).getTime() / 60_000);
    const key = [
      row.account_id,
      row.namespace,
      row.metric_name,
      row.dimensions_key,
      row.unit,
      row.resolution,
      minute,
    ].join('\n');
    const first = merged.get(key);
    if (!first) {
      merged.set(key, { ...row, source: null });
      continue;
    }
    first.sample_count += row.sample_count;
    first.sum += row.sum;
    first.minimum = Math.min(first.minimum, row.minimum);
    first.maximum = Math.max(first.maximum, row.maximum);
  }
  return [...merged.values()];
}

/** See insertMetricPoints; one statement text whatever the number of points, compiled once. */
const insertPoints = precompiled(
  (db: Kysely<any>, p: { rows: string }) => sql`
    insert into ${sql.table(`${REPORTING_SCHEMA}.metric_points`)} (account_id, namespace, metric_name, dimensions,
      dimensions_key, unit, "timestamp", resolution, sample_count, sum, minimum, maximum, source)
    select r.account_id, r.namespace, r.metric_name, r.dimensions::jsonb, r.dimensions_key, r.unit, r."timestamp",
      r.resolution, r.sample_count, r.sum, r.minimum, r.maximum, r.source
    from jsonb_to_recordset(${p.rows}::jsonb) as r(account_id text, namespace text, metric_name text,
      dimensions text, dimensions_key text, unit text, "timestamp" timestamptz, resolution integer,
      sample_count double precision, sum double precision, minimum double precision, maximum double precision,
      source text)
    on conflict (source) do nothing`,
);

/**
 * Inserts data points in one statement; one whose source is written already is left out. The rows
 * travel as one JSON parameter (their dimensions as the JSON text they hold, their instants as ISO
 * strings), so the statement is the same whatever their number. Sent through `pipeline` when
 * given (nothing reads its answer), else awaited.
 */
export async function insertMetricPoints(
  db: Db,
  rows: readonly MetricPointRow[],
  pipeline?: StatementPipeline,
): Promise<void> {
  if (rows.length === 0) return;
  const statement = insertPoints.bind(db, { rows: stringifyExactJson(rows) });
  if (pipeline) pipeline.send(statement);
  else await db.executeQuery(statement);
}

/** Writes samples taken at one instant (see accountSampleRows). */
export async function writeAccountSamples(
  db: Db,
  sampled: readonly AccountSamples[],
  at: Date,
  source: string,
  sampleKey: (accountId: string, sample: MetricSample<string>) => string,
): Promise<void> {
  await insertMetricPoints(db, accountSampleRows(sampled, at, source, sampleKey));
}

/** A configuration's gauges at one instant (one account, one metric per name), as data point rows. */
export function configurationSampleRows(usage: ConfigurationUsage, at: Date, source: string): MetricPointRow[] {
  const sampled = [{ accountId: usage.accountId, samples: usageSamples(usage) }];
  return accountSampleRows(sampled, at, source, (_account, sample) => sample.metricName);
}

/** Writes a configuration's gauges at one instant. */
export async function writeSamples(db: Db, usage: ConfigurationUsage, at: Date, source: string): Promise<void> {
  await insertMetricPoints(db, configurationSampleRows(usage, at, source));
}

/** The guide's hourly data points of a stream's gauges, whose values held from `after` through `through`. */
export async function writeHourly(
  streamName: string,
  after: Date,
  through: Date,
  write: (hour: Date, source: string) => Promise<void>,
): Promise<void> {
  for (const hour of hourBoundaries(after, through)) await write(hour, `hourly:${streamName}:${hour.toISOString()}`);
}

/** The guide's hourly data points of a configuration whose usage held from `after` through `through`. */
export async function writeHourlySamples(
  db: Db,
  streamName: string,
  usage: ConfigurationUsage,
  after: Date,
  through: Date,
): Promise<void> {
  await writeHourly(streamName, after, through, (hour, source) => writeSamples(db, usage, hour, source));
}

/** Removes a stream's hourly data points after an instant (to write them again with a later-known usage). */
export async function deleteHourlySamples(db: Db, streamName: string, after: Date): Promise<void> {
  await db
    .withSchema(REPORTING_SCHEMA)
    .deleteFrom('metric_points')
    .where('source', 'like', `hourly:${streamName.replace(/[\\%_]/g, '\\$&')}:%`)
    .where('timestamp', '>', after)
    .execute();
}
