import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, METRICS } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { AGGREGATE_RUNNING_INSTANCES_METRIC, RUNNING_INSTANCES_METRIC } from '../domain/running-instances';
import { SUBSCRIBED_USER_METRIC } from '../domain/subscribed-users';
import type { StreamCountsViews, StreamCountTables } from './stream-counts.views';

/** A Prometheus gauge of one metric counted over streams: its series with exactly these dimensions, as labels. */
interface CountGauge {
  name: string;
  help: string;
  counts: StreamCountTables['counts'];
  metricName: string;
  /** Label name -> dimension name, account_id besides. */
  labels: Record<string, string>;
}

const GAUGES: CountGauge[] = [
  {
    name: 'lm_subscribed_user_count',
    help: 'Users of an account subscribed to a user-based subscription product (CloudWatch SubscribedUserCount).',
    counts: 'subscribed_user_counts',
    metricName: SUBSCRIBED_USER_METRIC,
    labels: { product: 'Product' },
  },
  {
    name: 'lm_running_instances_count',
    help: 'Instances of an account running with a commercial Linux subscription, per Region (CloudWatch RunningInstancesCount by SubscriptionName and Region).',
    counts: 'running_instance_counts',
    metricName: RUNNING_INSTANCES_METRIC,
    labels: { subscription_name: 'SubscriptionName', region: 'Region' },
  },
  {
    name: 'lm_aggregate_running_instances_count',
    help: "Instances of an organization's accounts running with a commercial Linux subscription, in its management account (CloudWatch AggregateRunningInstancesCount).",
    counts: 'running_instance_counts',
    metricName: AGGREGATE_RUNNING_INSTANCES_METRIC,
    labels: { subscription_name: 'SubscriptionName' },
  },
];

/** The counts over streams on the service's /metrics, read at each scrape. */
@Injectable()
export class StreamCountGauges implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(DATABASE) private readonly db: Kysely<StreamCountsViews>,
  ) {}

  onModuleInit(): void {
    const db = this.db.withSchema(REPORTING_SCHEMA);
    for (const gauge of GAUGES) {
      const dimensions = Object.values(gauge.labels);
      new Gauge({
        name: gauge.name,
        help: gauge.help,
        labelNames: ['account_id', ...Object.keys(gauge.labels)],
        registers: [this.registry],
        async collect() {
          const rows = await db
            .selectFrom(gauge.counts as 'running_instance_counts')
            .select('usage')
            .where(sql<string>`usage->>'metricName'`, '=', gauge.metricName)
            .execute();
          this.reset();
          for (const { usage } of rows) {
            const values = new Map(usage.dimensions.map((d) => [d.Name, d.Value]));
            if (values.size !== dimensions.length || !dimensions.every((name) => values.has(name))) continue;
            const labels = Object.fromEntries(
              Object.entries(gauge.labels).map(([label, dimension]) => [label, values.get(dimension)!]),
            );
            this.set({ account_id: usage.accountId, ...labels }, usage.count);
          }
        },
      });
    }
  }
}
