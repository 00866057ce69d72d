import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, METRICS } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { SubscribedUsersViews } from './subscribed-users.views';

/** SubscribedUserCount on the service's /metrics: lm_subscribed_user_count{account_id, product}, read at each scrape. */
@Injectable()
export class SubscribedUsersGauge implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(DATABASE) private readonly db: Kysely<SubscribedUsersViews>,
  ) {}

  onModuleInit(): void {
    const db = this.db.withSchema(REPORTING_SCHEMA);
    new Gauge({
      name: 'lm_subscribed_user_count',
      help: 'Users of an account subscribed to a user-based subscription product (CloudWatch SubscribedUserCount).',
      labelNames: ['account_id', 'product'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await db.selectFrom('subscribed_user_counts').select('usage').execute();
        this.reset();
        for (const { usage } of rows) this.set({ account_id: usage.accountId, product: usage.product }, usage.count);
      },
    });
  }
}
