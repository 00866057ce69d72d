import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { RegisteredDirectories } from '../../identity-providers/application/registered-directories';
import { parseUserSubscriptionsArn, userSubscriptionsArn } from '../../shared/arns';
import { RDS_SAL } from '../../shared/products';
import { PendingSteps } from '../../shared/pending-steps';
import type { SubscriptionOutcome } from '../domain/commands';
import { productSubscriptionDecider } from '../domain/decide';
import { productSubscriptionStream, productUserId, type ProductSubscription } from '../domain/product-subscription';
import type { ProductSubscriptionViews } from './product-subscription.views';

/**
 * What finishes a subscription after the request answered. SUBSCRIBING: the user's RDS SAL is
 * added with a Visual Studio or Office subscription when the account has the directory
 * registered for RDS SAL (the guide: "License Manager automatically subscribes the users ... to
 * RDS SAL when they subscribe to a user-based subscription product"), then SUBSCRIBED; FAILED if
 * its identity provider is no longer registered. UNSUBSCRIBING: UNSUBSCRIBED. Each request
 * starts its own at once (`soon`); the sweep takes whatever a restart left (PendingSteps).
 */
@Injectable()
export class ProductSubscriptionSteps extends PendingSteps<ProductSubscription> {
  constructor(
    @Inject(DATABASE) db: Kysely<ProductSubscriptionViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly directories: RegisteredDirectories,
  ) {
    super(db, {
      table: 'product_subscriptions',
      pending: ['SUBSCRIBING', 'UNSUBSCRIBING'],
      oldestFirstBy: 'requested_at',
    });
  }

  protected async settle(subscription: ProductSubscription): Promise<void> {
    const { arn } = subscription;
    const stream = productSubscriptionStream(parseUserSubscriptionsArn('product-user', arn)!.id);
    if (subscription.status === 'UNSUBSCRIBING') {
      await handleCommand(this.store, stream, productSubscriptionDecider, {
        type: 'CompleteUnsubscription',
        arn,
        now: this.clock.now(),
      });
      return;
    }
    if (subscription.status !== 'SUBSCRIBING') return;
    const outcome = await this.subscribe(subscription);
    await handleCommand(this.store, stream, productSubscriptionDecider, {
      type: 'CompleteSubscription',
      arn,
      outcome,
      now: this.clock.now(),
    });
  }

  private async subscribe(subscription: ProductSubscription): Promise<SubscriptionOutcome> {
    const registration = await this.directories.byArn(subscription.accountId, subscription.identityProviderArn);
    if (registration?.status !== 'REGISTERED')
      return {
        subscribed: false,
        statusMessage: `Identity provider ${subscription.identityProviderArn} is ${registration?.status ?? 'DEREGISTERED'}.`,
      };
    if (subscription.product !== RDS_SAL) await this.withRdsSal(subscription);
    return { subscribed: true };
  }

  /** The user's RDS SAL through the account's RDS SAL registration of the same directory, if there is one. */
  private async withRdsSal(subscription: ProductSubscription): Promise<void> {
    const rds = await this.directories.registration(subscription.accountId, subscription.directoryId, RDS_SAL);
    if (rds?.status !== 'REGISTERED') return;
    const { accountId, directoryId, domain, username } = subscription;
    const id = productUserId({ accountId, directoryId, product: RDS_SAL, domain, username });
    const arn = userSubscriptionsArn('product-user', this.region, accountId, id);
    const { newEvents } = await handleCommand(this.store, productSubscriptionStream(id), productSubscriptionDecider, {
      type: 'StartProductSubscription',
      arn,
      accountId,
      region: this.region,
      product: RDS_SAL,
      username,
      domain,
      directoryId,
      identityProviderArn: rds.arn,
      origin: 'WITH_PRODUCT',
      tags: {},
      now: this.clock.now(),
    });
    if (newEvents.length > 0) await this.settleArn(arn);
  }
}
