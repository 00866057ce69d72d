import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, METRICS } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { UsageMetricsViews } from './usage-metrics.views';

/** lm_reporting_pending_events on `registry`, set from `count` at each scrape. */
export function registerPendingEventsGauge(registry: Registry, count: () => Promise<number>): void {
  new Gauge({
    name: 'lm_reporting_pending_events',
    help: "Events (licensing's, grants') the usage metrics hold until an earlier event of their stream arrives.",
    registers: [registry],
    async collect() {
      this.set(await count());
    },
  });
}

/** The usage metrics' waiting events on the service's /metrics, counted at each scrape. */
@Injectable()
export class PendingEventsGauge implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(DATABASE) private readonly db: Kysely<UsageMetricsViews>,
  ) {}

  onModuleInit(): void {
    registerPendingEventsGauge(this.registry, async () => {
      const { waiting } = await this.db
        .withSchema(REPORTING_SCHEMA)
        .selectFrom('usage_pending_events')
        .select((eb) => eb.fn.countAll<string>().as('waiting'))
        .executeTakeFirstOrThrow();
      return Number(waiting);
    });
  }
}
