import { defineProjection, precompiled } from '@lm/event-store';
import { sql, type Kysely } from 'kysely';
import { LICENSE_USAGE_EVENT_TYPES, type LicenseUsageEvent } from '../domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { ConsumptionStatus, ConsumptionViews } from './license-consumption.views';

const ENDED: Partial<Record<LicenseUsageEvent['type'], ConsumptionStatus>> = {
  LicenseCheckedIn: 'CHECKED_IN',
  LicenseConsumptionExpired: 'EXPIRED',
};

const consumptionsTable = sql.table(`${GRANTS_SCHEMA}.license_consumptions`);

/**
 * The projection's statements, compiled once, each one text whatever the batch's size: the rows
 * travel as one JSON parameter or as parallel arrays. Every checkout and check-in runs them, in
 * its append's transaction; Kysely used to build and compile them for each append.
 */
const insertCheckouts = precompiled(
  (db: Kysely<ConsumptionViews>, p: { rows: string }) => sql`
    insert into ${consumptionsTable} (consumption_token, license_arn, account_id, beneficiary, checkout_type,
      node_id, status, issued_at, expiration)
    select r.consumption_token, r.license_arn, r.account_id, r.beneficiary, r.checkout_type, r.node_id, r.status,
      r.issued_at, r.expiration
    from jsonb_to_recordset(${p.rows}::jsonb) as r(consumption_token text, license_arn text, account_id text,
      beneficiary text, checkout_type text, node_id text, status text, issued_at timestamptz, expiration timestamptz)
    on conflict (consumption_token) do nothing`,
);
const extendActive = precompiled(
  (db: Kysely<ConsumptionViews>, p: { tokens: string[]; expirations: string[] }) => sql`
    update ${consumptionsTable} c set expiration = e.expiration
    from unnest(${p.tokens}::text[], ${p.expirations}::timestamptz[]) as e(consumption_token, expiration)
    where c.consumption_token = e.consumption_token and c.status = 'ACTIVE'`,
);
const endActive = precompiled(
  (db: Kysely<ConsumptionViews>, p: { status: ConsumptionStatus; tokens: string[] }) => sql`
    update ${consumptionsTable} set status = ${p.status}
    where consumption_token = any(${p.tokens}::text[]) and status = 'ACTIVE'`,
);

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
    const checkouts = usage.flatMap((event) => (event.type === 'LicenseCheckedOut' ? [event.data] : []));
    if (checkouts.length > 0) {
      const rows = checkouts.map((checkout) => ({
        consumption_token: checkout.consumptionToken,
        license_arn: checkout.licenseArn,
        account_id: checkout.accountId,
        beneficiary: checkout.beneficiary ?? null,
        checkout_type: checkout.kind,
        node_id: checkout.nodeId ?? null,
        status: checkout.kind === 'PERPETUAL' ? 'CONSUMED' : 'ACTIVE',
        issued_at: checkout.issuedAt,
        expiration: checkout.expiration,
      }));
      pipeline.send(insertCheckouts.bind(trx, { rows: JSON.stringify(rows) }));
    }
    // A lease extended twice in the batch ends up with its last extension, as if each were applied in turn.
    const extensions = new Map<string, string>();
    for (const event of usage) {
      if (event.type === 'LicenseConsumptionExtended')
        extensions.set(event.data.consumptionToken, event.data.expiration);
    }
    if (extensions.size > 0)
      pipeline.send(extendActive.bind(trx, { tokens: [...extensions.keys()], expirations: [...extensions.values()] }));
    for (const status of ['CHECKED_IN', 'EXPIRED'] as const) {
      const tokens = usage.flatMap((event) =>
        ENDED[event.type] === status ? [(event.data as { consumptionToken: string }).consumptionToken] : [],
      );
      if (tokens.length > 0) pipeline.send(endActive.bind(trx, { status, tokens }));
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_consumptions').execute();
  },
});
