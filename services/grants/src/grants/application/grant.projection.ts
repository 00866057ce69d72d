import { defineProjection, type Recorded } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { parseGrantArn } from '../domain/arn';
import { GRANT_EVENT_TYPES, type GrantEvent } from '../domain/events';
import { evolveGrant, type GrantAggregate, type GrantState } from '../domain/grant';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';
import { stringifyExactJson } from '@lm/contracts';

/**
 * The grantee columns: the account of an account grant (or sub-grant), which lists and licence
 * access read; a grant to an organization or OU covers nobody itself (its sub-grants do).
 */
function granteeColumns(aggregate: GrantAggregate) {
  const { principal } = aggregate;
  return {
    grantee_principal_arn: aggregate.grant.GranteePrincipalArn,
    grantee_account_id: principal.kind === 'account' ? principal.accountId : null,
  };
}

async function stateBefore(
  db: Transaction<GrantViews>,
  grantId: string,
  event: Recorded<GrantEvent>,
): Promise<GrantState | 'already-applied'> {
  if (event.type === 'GrantCreated') return { status: 'absent' };
  const row = await db
    .selectFrom('grants')
    .select(['stream_version', 'state'])
    .where('grant_id', '=', grantId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return { status: 'absent' };
  return row.stream_version >= event.streamVersion ? 'already-applied' : { status: 'present', aggregate: row.state };
}

/**
 * The grants view (current version, with the grantee, licence and product columns that lists,
 * access and the one-active-grant rule use) and grant_versions (every version). Rows are folded
 * with the domain's own evolve. The exclusion constraint on ACTIVE grants per grantee and product
 * makes a racing second activation fail in its own append.
 */
export const grantsProjection = defineProjection<GrantEvent, GrantViews>()({
  name: 'grants',
  eventTypes: GRANT_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    for (const event of events) {
      const grantId = parseGrantArn(
        event.type === 'GrantCreated' ? event.data.grant.GrantArn : event.data.grantArn,
      )!.id;
      const before = await stateBefore(db, grantId, event);
      if (before === 'already-applied') continue;
      const after = evolveGrant(before, event);
      if (after.status !== 'present') continue;
      const { aggregate } = after;
      const { grant } = aggregate;
      const current = {
        status: grant.GrantStatus,
        version: Number(grant.Version),
        stream_version: event.streamVersion,
        state: stringifyExactJson(aggregate),
        document: stringifyExactJson(grant),
      };
      if (event.type === 'GrantCreated') {
        await db
          .insertInto('grants')
          .values({
            grant_id: grantId,
            grant_arn: grant.GrantArn,
            grantor_account_id: aggregate.grantorAccountId,
            license_arn: grant.LicenseArn,
            parent_arn: grant.ParentArn,
            product_sku: aggregate.productSku,
            license_issuer_name: aggregate.licenseIssuerName,
            client_token: event.data.clientToken,
            created_at: aggregate.createdAt,
            ...granteeColumns(aggregate),
            ...current,
          })
          .onConflict((oc) => oc.column('grant_id').doNothing())
          .execute();
      } else {
        await db.updateTable('grants').set(current).where('grant_id', '=', grantId).execute();
      }
      // A status event shares its version with the GrantVersionCreated before it: the version reads as the last of them.
      await db
        .insertInto('grant_versions')
        .values({ grant_id: grantId, version: Number(grant.Version), document: current.document })
        .onConflict((oc) => oc.columns(['grant_id', 'version']).doUpdateSet({ document: current.document }))
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('grant_versions').execute();
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('grants').execute();
  },
});
