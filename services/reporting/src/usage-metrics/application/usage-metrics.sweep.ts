import { Inject, Injectable, Logger } from '@nestjs/common';
import { DURABLE_CONSUMER_ACK_WAIT_MS } from '@lm/messaging';
import { CLOCK, DATABASE, type Clock, type Sweep } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import type { ConfigurationUsage } from '../domain/configuration-usage';
import type { LicenceEntitlementUsage } from '../domain/entitlement-usage';
import type { SeriesCount } from '../domain/stream-counts';
import { RETENTION_MS, ROLLUPS } from '../domain/retention';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { writeHourlyEntitlementSamples } from './entitlement-samples';
import { sampleDueHours, type HourlySampled } from './hourly-sampling';
import { writeHourlyCountSamples } from './stream-counts';
import { longWaits } from './pending-events';
import { writeHourlySamples } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

/** Each license configuration's hourly points (usage_configurations, by stream). */
const CONFIGURATION_HOURS: HourlySampled<ConfigurationUsage> = {
  table: 'usage_configurations',
  key: 'stream_name',
  writeHours: writeHourlySamples,
};

/** Each seller-issued licence's entitlement usage's hourly points (entitlement_usage_licences, by licence). */
const ENTITLEMENT_HOURS: HourlySampled<LicenceEntitlementUsage> = {
  table: 'entitlement_usage_licences',
  key: 'license_id',
  writeHours: writeHourlyEntitlementSamples,
};

/** Each account's subscribed users of a product (subscribed_user_counts, by series). */
const SUBSCRIBED_USER_HOURS: HourlySampled<SeriesCount> = {
  table: 'subscribed_user_counts',
  key: 'key',
  writeHours: writeHourlyCountSamples,
};

/** Each count of running instances with a Linux subscription (running_instance_counts, by series). */
const RUNNING_INSTANCE_HOURS: HourlySampled<SeriesCount> = {
  table: 'running_instance_counts',
  key: 'key',
  writeHours: writeHourlyCountSamples,
};

/**
 * JetStream redelivers an unacknowledged event after its ack wait: one still missing after ten of
 * those is no longer coming on its own (the stream no longer holds it, or licensing never published
 * it), and its successors wait for it. Reporting cannot fetch it from licensing's store, so says so.
 */
export const PENDING_WARN_AFTER_MS = 10 * DURABLE_CONSUMER_ACK_WAIT_MS;

/**
 * Every run: the hourly data points of each live configuration, seller-issued licence, count of
 * subscribed users and count of running instances up to now (its usage has not changed since its last event, or the consumer would
 * have written them), then CloudWatch's
 * retention: old one-minute points merged into five-minute statistic sets, older ones into hourly
 * sets, and points past 15 months deleted. And a warning for each event that has waited for what
 * precedes it (its stream's previous event, or its licence's creation) longer than PENDING_WARN_AFTER_MS.
 */
@Injectable()
export class UsageMetricsSweep implements Sweep {
  private readonly logger = new Logger('UsageMetricsSweep');
  private readonly db: Kysely<UsageMetricsViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<UsageMetricsViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  async sweep(): Promise<void> {
    const now = this.clock.now();
    await sampleDueHours(this.db, CONFIGURATION_HOURS, now);
    await sampleDueHours(this.db, ENTITLEMENT_HOURS, now);
    await sampleDueHours(this.db, SUBSCRIBED_USER_HOURS, now);
    await sampleDueHours(this.db, RUNNING_INSTANCE_HOURS, now);
    await this.rollUp(now);
    await this.warnOfLongWaits(now);
  }

  private async warnOfLongWaits(now: Date): Promise<void> {
    for (const wait of await longWaits(this.db, new Date(now.getTime() - PENDING_WARN_AFTER_MS)))
      this.logger.warn(
        `${wait.streamName} version ${wait.streamVersion} has waited since ${wait.pendingSince.toISOString()} for ` +
          `${wait.waitsFor}, which JetStream has not redelivered: its usage stays as it was ` +
          `until that event arrives (see docs/operations.md, lm_reporting_pending_events)`,
      );
  }

  /** Each rollup in one statement: the merged sets are inserted and their parts deleted together. */
  private async rollUp(now: Date): Promise<void> {
    const points = sql.id(REPORTING_SCHEMA, 'metric_points');
    for (const { fromResolution, toResolution: resolution, afterMs } of ROLLUPS) {
      const before = new Date(now.getTime() - afterMs);
      // A literal, not a parameter: the same expression must appear in the select and the group by.
      const toResolution = sql.lit(resolution);
      await sql`
        with merged as (
          delete from ${points} where resolution <= ${fromResolution} and timestamp < ${before} returning *
        )
        insert into ${points} (account_id, namespace, metric_name, dimensions, dimensions_key, unit, timestamp,
                               resolution, sample_count, sum, minimum, maximum, source)
        select account_id, namespace, metric_name, min(dimensions::text)::jsonb, dimensions_key, unit,
               to_timestamp(floor(extract(epoch from timestamp) / ${toResolution}) * ${toResolution}),
               ${toResolution}, sum(sample_count), sum(sum), min(minimum), max(maximum), null
        from merged
        group by account_id, namespace, metric_name, dimensions_key, unit,
                 floor(extract(epoch from timestamp) / ${toResolution})`.execute(this.db);
    }
    await this.db
      .deleteFrom('metric_points')
      .where('timestamp', '<', new Date(now.getTime() - RETENTION_MS))
      .execute();
  }
}
