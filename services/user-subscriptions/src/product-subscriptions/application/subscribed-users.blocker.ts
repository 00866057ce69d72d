import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { DeregistrationBlockers } from '../../identity-providers/application/deregistration-blockers';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { ACTIVE_STATUSES } from '../domain/product-subscription';
import type { ProductSubscriptionViews } from './product-subscription.views';

/** The guide's deregistration prerequisite this slice owns: the directory's users unsubscribed first. */
@Injectable()
export class SubscribedUsersBlocker implements OnModuleInit {
  private readonly db: Kysely<ProductSubscriptionViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<ProductSubscriptionViews>,
    private readonly blockers: DeregistrationBlockers,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  onModuleInit(): void {
    this.blockers.add(async (registration) => {
      const { count } = await this.db
        .selectFrom('product_subscriptions')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('identity_provider_arn', '=', registration.arn)
        .where('status', 'in', ACTIVE_STATUSES)
        .executeTakeFirstOrThrow();
      const users = Number(count);
      return users === 0
        ? []
        : [`${users} user${users === 1 ? ' is' : 's are'} still subscribed to ${registration.product} through it`];
    });
  }
}
