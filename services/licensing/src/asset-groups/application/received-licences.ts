import type { Transaction } from 'kysely';
import { GRANT_STATUS_GIVING, PARENT_STATUSES_GIVING, STATUSES_NOT_RECEIVED } from '../domain/received-licences';
import type { AssetGroupsViews } from './asset-groups.views';

type Db = Transaction<AssetGroupsViews>;

/**
 * The licences accounts hold through grants now, one row per grant giving one (its account, the
 * licence, as rules see it): an ACTIVE grant to an account whose parent is the licence, or a grant
 * in a status that gives (domain/received-licences.ts), of a licence whose version is known and
 * that is neither deleted nor expired. Narrow it by account or licence.
 */
export function receivedLicences(db: Db) {
  return db
    .selectFrom('license_asset_grants as g')
    .innerJoin('license_asset_licences as l', 'l.license_arn', 'g.license_arn')
    .leftJoin('license_asset_grants as parent', 'parent.grant_arn', 'g.parent_arn')
    .select(['g.grantee_account_id', 'l.license_arn', 'l.asset'])
    .where('g.status', '=', GRANT_STATUS_GIVING)
    .where('g.grantee_account_id', 'is not', null)
    .where((eb) =>
      eb.or([eb('g.parent_arn', '=', eb.ref('g.license_arn')), eb('parent.status', 'in', PARENT_STATUSES_GIVING)]),
    )
    .where('l.asset', 'is not', null)
    .where('l.status', 'not in', STATUSES_NOT_RECEIVED);
}
