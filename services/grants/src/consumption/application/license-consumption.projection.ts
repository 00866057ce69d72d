import { defineProjection } from '@lm/event-store';
import { LICENSE_USAGE_EVENT_TYPES, type LicenseUsageEvent } from '../domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { ConsumptionStatus, ConsumptionViews } from './license-consumption.views';

const ENDED: Partial<Record<LicenseUsageEvent['type'], ConsumptionStatus>> = {
  LicenseCheckedIn: 'CHECKED_IN',
  LicenseConsumptionExpired: 'EXPIRED',
};

/**
 * The license_consumptions view (each checkout by its consumption token, with its status and
 * expiration), written in the append's own transaction: a check-in right after its checkout finds
 * it. A group commit brings many events at once: they are written in a few statements (new
 * checkouts, then extensions, then ends), which keeps the order that matters, as a checkout
 * precedes everything else of its lease and nothing follows its end. Nothing reads their answers:
 * they go through the append's pipeline, out with its commit.
 */
export const licenseConsumptionsProjection = defineProjection<LicenseUsageEvent, ConsumptionViews>()({
  name: 'license-consumptions',
  eventTypes: LICENSE_USAGE_EVENT_TYPES,
  async handle(usage, trx, pipeline) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    const checkouts = usage.flatMap((event) => (event.type === 'LicenseCheckedOut' ? [event.data] : []));
    if (checkouts.length > 0) {
      pipeline.send(
        db
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
          .onConflict((oc) => oc.column('consumption_token').doNothing()),
      );
    }
    for (const event of usage) {
      if (event.type !== 'LicenseConsumptionExtended') continue;
      pipeline.send(
        db
          .updateTable('license_consumptions')
          .set({ expiration: event.data.expiration })
          .where('consumption_token', '=', event.data.consumptionToken)
          .where('status', '=', 'ACTIVE'),
      );
    }
    for (const status of ['CHECKED_IN', 'EXPIRED'] as const) {
      const tokens = usage.flatMap((event) =>
        ENDED[event.type] === status ? [(event.data as { consumptionToken: string }).consumptionToken] : [],
      );
      if (tokens.length === 0) continue;
      pipeline.send(
        db
          .updateTable('license_consumptions')
          .set({ status })
          .where('consumption_token', 'in', tokens)
          .where('status', '=', 'ACTIVE'),
      );
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_consumptions').execute();
  },
});
