import { Inject, Injectable, Logger } from '@nestjs/common';
import { DURABLE_CONSUMER_ACK_WAIT_MS } from '@lm/messaging';
import { CLOCK, DATABASE, type Clock, type Sweep } from '@lm/service-kit';
import { sql, type Kysely, type Transaction } from 'kysely';
import { RETENTION_MS, ROLLUPS } from '../domain/retention';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { writeHourlyEntitlementSamples } from './entitlement-samples';
import type { EntitlementUsageViews } from './entitlement-usage.views';
import { writeHourlySamples } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

/**
 * Every run: the hourly data points of each live configuration and seller-issued licence up to now
 * (its usage has not changed since its last event, or the consumer would have written them), then CloudWatch's
 * retention: old one-minute points merged into five-minute statistic sets, older ones into hourly
 * sets, and points past 15 months deleted. And a warning for each event that has waited for its
 * stream's previous one longer than PENDING_WARN_AFTER_MS.
 */
/**
 * JetStream redelivers an unacknowledged event after its ack wait: one still missing after ten of
 * those is no longer coming on its own (the stream no longer holds it, or licensing never published
 * it), and its successors wait for it. Reporting cannot fetch it from licensing's store, so says so.
 */
export const PENDING_WARN_AFTER_MS = 10 * DURABLE_CONSUMER_ACK_WAIT_MS;

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
    await this.sampleHours(now);
    await this.sampleEntitlementHours(now);
    await this.rollUp(now);
    await this.warnOfLongWaits(now);
  }

  private async warnOfLongWaits(now: Date): Promise<void> {
    const waiting = await this.db
      .selectFrom('usage_pending_events')
      .select(['stream_name', 'stream_version', 'pending_since'])
      .where('pending_since', '<', new Date(now.getTime() - PENDING_WARN_AFTER_MS))
      .orderBy('pending_since')
      .execute();
    for (const { stream_name, stream_version, pending_since } of waiting)
      this.logger.warn(
        `${stream_name} version ${stream_version} has waited since ${pending_since.toISOString()} for version ` +
          `${stream_version - 1} or an earlier one, which JetStream has not redelivered: its usage stays as it was ` +
          `until that event arrives (see docs/operations.md, lm_reporting_pending_events)`,
      );
  }

  private async sampleHours(now: Date): Promise<void> {
    const due = await this.db
      .selectFrom('usage_configurations')
      .select('stream_name')
      .where('sampled_through', '<', new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000))
      .where(sql<boolean>`not (usage->>'deleted')::boolean`)
      .execute();
    for (const { stream_name } of due) {
      await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('usage_configurations')
          .selectAll()
          .where('stream_name', '=', stream_name)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (row.usage.deleted || row.sampled_through >= now) return;
        await writeHourlySamples(trx, stream_name, row.usage, row.sampled_through, now);
        await trx
          .updateTable('usage_configurations')
          .set({ sampled_through: now })
          .where('stream_name', '=', stream_name)
          .execute();
      });
    }
  }

  /** The same for each live seller-issued licence's entitlement usage. */
  private async sampleEntitlementHours(now: Date): Promise<void> {
    const db = this.db as unknown as Kysely<EntitlementUsageViews>;
    const due = await db
      .selectFrom('entitlement_usage_licences')
      .select('license_id')
      .where('sampled_through', '<', new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000))
      .where(sql<boolean>`not (usage->>'deleted')::boolean`)
      .execute();
    for (const { license_id } of due) {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('entitlement_usage_licences')
          .select(['usage', 'sampled_through'])
          .where('license_id', '=', license_id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (!row.usage || row.usage.deleted || !row.sampled_through || row.sampled_through >= now) return;
        const views = trx as unknown as Transaction<UsageMetricsViews>;
        await writeHourlyEntitlementSamples(views, license_id, row.usage, row.sampled_through, now);
        await trx
          .updateTable('entitlement_usage_licences')
          .set({ sampled_through: now })
          .where('license_id', '=', license_id)
          .execute();
      });
    }
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
