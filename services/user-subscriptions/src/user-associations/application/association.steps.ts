import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { InstanceTerminations } from '../../instances/application/instance-terminations';
import type { InstanceViews } from '../../instances/application/instance.views';
import { UserSubscriptionInstances } from '../../instances/application/user-subscription-instances';
import type { InventoryInstance } from '../../instances/domain/instance';
import type { ProductSubscriptionViews } from '../../product-subscriptions/application/product-subscription.views';
import { parseUserSubscriptionsArn } from '../../shared/arns';
import { PendingSteps, SWEEP_BATCH } from '../../shared/pending-steps';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { LIVE_STATUSES, userAssociationStream, type UserAssociation } from '../domain/association';
import type { AssociationOutcome } from '../domain/commands';
import { userAssociationDecider } from '../domain/decide';
import type { UserAssociationViews } from './association.views';

type Views = UserAssociationViews & ProductSubscriptionViews & InstanceViews;

/**
 * What finishes an association after the request answered, and ends the associations of
 * terminated instances. ASSOCIATING: ASSOCIATED when the instance still provides, through the
 * directory, a product the user is still SUBSCRIBED to; FAILED (StatusMessage saying which went)
 * otherwise. A terminated instance's users are DISASSOCIATED (the guide: termination disassociates
 * them, a stop does not), when discovery's event says so (InstanceTerminations) and by the sweep
 * for any that event missed (an association taken while the termination was being applied). Each
 * request starts its own step at once (`soon`); the sweep takes whatever a restart left. Outcomes
 * are appended at the version read, so replicas settling together record one.
 */
@Injectable()
export class AssociationSteps extends PendingSteps<UserAssociation> implements OnModuleInit {
  private readonly db: Kysely<Views>;

  constructor(
    @Inject(DATABASE) db: Kysely<Views>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly instances: UserSubscriptionInstances,
    private readonly terminations: InstanceTerminations,
  ) {
    super(db, { table: 'user_associations', pending: ['ASSOCIATING'], oldestFirstBy: 'requested_at' });
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  onModuleInit(): void {
    this.terminations.add((instance) => this.endWith(instance));
  }

  /** The number of associations settled or ended. */
  override async sweep(): Promise<number> {
    const settled = await this.settlePending();
    const orphaned = await this.db
      .selectFrom('user_associations as a')
      .innerJoin('instances as i', (join) =>
        join
          .onRef('i.account_id', '=', 'a.account_id')
          .onRef('i.region', '=', 'a.region')
          .onRef('i.instance_id', '=', 'a.instance_id'),
      )
      .select('a.arn')
      .where('i.status', '=', 'TERMINATED')
      .where('a.status', 'in', LIVE_STATUSES)
      .limit(SWEEP_BATCH)
      .execute();
    for (const { arn } of orphaned) await this.end(arn);
    return settled + orphaned.length;
  }

  /** Disassociates every live association of a terminated instance. */
  private async endWith(instance: InventoryInstance): Promise<void> {
    const rows = await this.db
      .selectFrom('user_associations')
      .select('arn')
      .where('account_id', '=', instance.accountId)
      .where('region', '=', instance.region)
      .where('instance_id', '=', instance.instanceId)
      .where('status', 'in', LIVE_STATUSES)
      .execute();
    for (const { arn } of rows) await this.end(arn);
  }

  private async end(arn: string): Promise<void> {
    await handleCommand(this.store, streamOf(arn), userAssociationDecider, {
      type: 'EndWithInstance',
      arn,
      reason: 'INSTANCE_TERMINATED',
      now: this.clock.now(),
    });
  }

  protected async settle(association: UserAssociation): Promise<void> {
    if (association.status !== 'ASSOCIATING') return;
    const outcome = await this.outcomeOf(association);
    await handleCommand(this.store, streamOf(association.arn), userAssociationDecider, {
      type: 'CompleteAssociation',
      arn: association.arn,
      outcome,
      now: this.clock.now(),
    });
  }

  private async outcomeOf(association: UserAssociation): Promise<AssociationOutcome> {
    const { accountId, region, instanceId, directoryId, domain, username, products } = association;
    const found = await this.instances.one(accountId, region, instanceId, directoryId);
    if (!found || found.instance.status === 'TERMINATED')
      return {
        associated: false,
        statusMessage: `Instance ${instanceId} no longer provides user-based subscriptions through directory ${directoryId}.`,
      };
    const subscribed = await this.db
      .selectFrom('product_subscriptions')
      .select('product')
      .where('account_id', '=', accountId)
      .where('directory_id', '=', directoryId)
      .where('domain', '=', domain)
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .where('product', 'in', products)
      .where('status', '=', 'SUBSCRIBED')
      .executeTakeFirst();
    return subscribed
      ? { associated: true }
      : { associated: false, statusMessage: `User ${username} is no longer subscribed to ${products.join(' or ')}.` };
  }
}

const streamOf = (arn: string) => userAssociationStream(parseUserSubscriptionsArn('instance-user', arn)!.id);
