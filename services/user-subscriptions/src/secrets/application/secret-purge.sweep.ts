import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { secretDecider, secretStream } from '../domain/decide';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { SecretViews } from './secret.views';

/** Secrets deleted per sweep: the next sweep takes the rest. */
const BATCH = 100;

/**
 * Deletes for good the secrets whose recovery window has passed (SecretDeleted): their rows, and
 * so their sealed values, leave the view, and the name is free again. Replicas may sweep at once:
 * the decider deletes a secret once, whichever append comes first.
 */
@Injectable()
export class SecretPurgeSweep implements Sweep {
  private readonly db: Kysely<SecretViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<SecretViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  /** The number of secrets this sweep deleted. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('secrets')
      .select(['account_id', 'region', 'name'])
      .where('deletion_date', '<=', now)
      .orderBy('deletion_date')
      .limit(BATCH)
      .execute();
    let deleted = 0;
    for (const row of due) {
      const { newEvents } = await handleCommand(
        this.store,
        secretStream(row.account_id, row.region, row.name),
        secretDecider,
        { type: 'PurgeSecret', now },
      );
      deleted += newEvents.length;
    }
    return deleted;
  }
}
