import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock, type Sweep, outsideRequest } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { discoverySettingsDecider, discoverySettingsStream } from '../domain/decide';
import type { DiscoverySettings } from '../domain/discovery-settings';
import { FAILURE_REASONS } from '../domain/status-messages';
import { discoveryOf } from './discovery';
import { DiscoveryActivations } from './discovery-activations';
import type { DiscoverySettingsViews } from './discovery-settings.views';

/** Accounts settled per sweep: the next sweep takes the rest. */
const BATCH = 50;

/**
 * What takes an update's pending steps to Successful (or Failed) after the request answered: the
 * slices that discover are told the account's discovery (activated with its Regions and accounts,
 * or deactivated, which deletes what was discovered), then the steps of that revision are done.
 * A listener that throws fails them with the guide's internal error. Each update starts its own
 * at once (`soon`); the sweep takes what a restart or a crash left pending. Replicas may settle
 * the same account together: the listeners are idempotent and the outcome is appended at the
 * version its decision read, so one of them records it.
 */
@Injectable()
export class DiscoverySteps implements Sweep {
  private readonly logger = new Logger('DiscoverySteps');
  private readonly db: Kysely<DiscoverySettingsViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<DiscoverySettingsViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly activations: DiscoveryActivations,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  /** Settles the account's steps in the background; a failure is left to the sweep. */
  soon(accountId: string): void {
    outsideRequest(() => this.settleAccount(accountId)).catch((error) =>
      this.logger.warn(`settling the discovery of ${accountId} failed, the sweep retries: ${String(error)}`),
    );
  }

  /** The number of accounts settled. */
  async sweep(): Promise<number> {
    const rows = await this.db
      .selectFrom('discovery_settings')
      .select('state')
      .where('pending', '=', true)
      .orderBy('updated_at')
      .limit(BATCH)
      .execute();
    for (const { state } of rows) await this.settle(state);
    return rows.length;
  }

  private async settleAccount(accountId: string): Promise<void> {
    const row = await this.db
      .selectFrom('discovery_settings')
      .select('state')
      .where('account_id', '=', accountId)
      .where('pending', '=', true)
      .executeTakeFirst();
    if (row) await this.settle(row.state);
  }

  private async settle(settings: DiscoverySettings): Promise<void> {
    const { accountId, revision } = settings;
    let failureReason: string | undefined;
    try {
      const discovery = discoveryOf(settings);
      if (discovery) await this.activations.activated(accountId, discovery);
      else await this.activations.deactivated(accountId);
    } catch (error) {
      this.logger.error(`discovery of ${accountId} (revision ${revision}) failed: ${String(error)}`);
      failureReason = FAILURE_REASONS.internalError;
    }
    await handleCommand(this.store, discoverySettingsStream(accountId), discoverySettingsDecider, {
      type: 'CompleteDiscoverySteps',
      accountId,
      revision,
      failureReason,
      now: this.clock.now(),
    });
  }
}
