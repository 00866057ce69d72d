import type { Projection, RecordedEvent } from '@lm/event-store';
import type { Kysely, Transaction } from 'kysely';
import type { LicenseEvent } from '../domain/license/events';
import { LICENSE_USAGE_EVENT_TYPES, type LicenseUsageEvent } from '../domain/license-usage/events';
import { licenseIdOf } from '../domain/license-usage/license-usage';
import type { ConsumptionStatus } from '../infra/database/license-consumption.tables';
import { GRANTS_SCHEMA, type GrantsDatabase } from '../shared/schema';

const ENDED: Partial<Record<LicenseUsageEvent['type'], ConsumptionStatus>> = {
  LicenseCheckedIn: 'CHECKED_IN',
  LicenseConsumptionExpired: 'EXPIRED',
};

/**
 * The license_consumptions view (each checkout by its consumption token, with its status and
 * expiration), written in the append's own transaction: a check-in right after its checkout finds
 * it. A group commit brings many events at once: they are written in a few statements (new
 * checkouts, then extensions, then ends), which keeps the order that matters, as a checkout
 * precedes everything else of its lease and nothing follows its end.
 */
export const licenseConsumptionsProjection: Projection<GrantsDatabase> = {
  name: 'license-consumptions',
  eventTypes: LICENSE_USAGE_EVENT_TYPES,
  async handle(events: RecordedEvent[], trx: Transaction<GrantsDatabase>) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    const usage = events as unknown as LicenseUsageEvent[];
    const checkouts = usage.flatMap((event) => (event.type === 'LicenseCheckedOut' ? [event.data] : []));
    if (checkouts.length > 0) {
      await db
        .insertInto('license_consumptions')
        .values(
          checkouts.map((checkout) => ({
            consumption_token: checkout.consumptionToken,
            license_arn: checkout.licenseArn,
            account_id: checkout.accountId,
            beneficiary: checkout.beneficiary ?? null,
            checkout_type: checkout.kind,
            node_id: checkout.nodeId ?? null,
            status: checkout.kind === 'PERPETUAL' ? 'CONSUMED' : 'ACTIVE',
            issued_at: checkout.issuedAt,
            expiration: checkout.expiration,
          })),
        )
        .onConflict((oc) => oc.column('consumption_token').doNothing())
        .execute();
    }
    for (const event of usage) {
      if (event.type !== 'LicenseConsumptionExtended') continue;
      await db
        .updateTable('license_consumptions')
        .set({ expiration: event.data.expiration })
        .where('consumption_token', '=', event.data.consumptionToken)
        .where('status', '=', 'ACTIVE')
        .execute();
    }
    for (const status of ['CHECKED_IN', 'EXPIRED'] as const) {
      const tokens = usage.flatMap((event) =>
        ENDED[event.type] === status ? [(event.data as { consumptionToken: string }).consumptionToken] : [],
      );
      if (tokens.length === 0) continue;
      await db
        .updateTable('license_consumptions')
        .set({ status })
        .where('consumption_token', 'in', tokens)
        .where('status', '=', 'ACTIVE')
        .execute();
    }
  },
  async truncate(db: Kysely<GrantsDatabase> | Transaction<GrantsDatabase>) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_consumptions').execute();
  },
};

/** Whether a licence event starts a new usage period: a version with ResetUsage, or a renewal. */
const startsUsagePeriod = (event: LicenseEvent) =>
  (event.type === 'LicenseVersionCreated' && event.data.resetUsage) || event.type === 'LicenseRenewed';

/**
 * The usage epoch of each licence: the position in the licence's stream of its latest event that
 * started a new usage period (LicenseVersionCreated with resetUsage, LicenseRenewed), which
 * checkouts pass to the usage decider. Stream positions only grow, whichever event it was.
 */
export const licenseUsageEpochsProjection: Projection<GrantsDatabase> = {
  name: 'license-usage-epochs',
  eventTypes: ['LicenseVersionCreated', 'LicenseRenewed'],
  async handle(events: RecordedEvent[], trx: Transaction<GrantsDatabase>) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    for (const recorded of events) {
      const event = recorded as unknown as Extract<LicenseEvent, { type: 'LicenseVersionCreated' | 'LicenseRenewed' }> &
        RecordedEvent;
      if (!startsUsagePeriod(event)) continue;
      const epoch = event.streamVersion;
      await db
        .insertInto('license_usage_epochs')
        .values({ license_id: licenseIdOf(event.data.licenseArn), usage_epoch: epoch })
        .onConflict((oc) =>
          oc
            .column('license_id')
            .doUpdateSet({ usage_epoch: epoch })
            .where('license_usage_epochs.usage_epoch', '<', epoch),
        )
        .execute();
    }
  },
  async truncate(db: Kysely<GrantsDatabase> | Transaction<GrantsDatabase>) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_usage_epochs').execute();
  },
};
