import { sql, type Transaction } from 'kysely';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { NO_LICENCE, withStatus, withVersion, type LicenceRecord } from '../domain/received-licences';
import type { Asset } from '../domain/rule-statements';
import { AssetGroupMembership } from './asset-group-membership';
import type { AssetGroupsViews } from './asset-groups.views';
import { receivedLicences } from './received-licences';
import { stringifyExactJson } from '@lm/contracts';

type Db = Transaction<AssetGroupsViews>;

/** A grant's part in one event: who it is for and from what (GrantCreated only), and its status from `statusVersion` on. */
export interface GrantFacts {
  grantArn: string;
  licenseArn?: string;
  parentArn?: string;
  granteeAccountId?: string;
  status?: string;
  statusVersion: number;
}

/**
 * Who holds each seller-issued licence, kept as grants' licence and grant events arrive, in
 * whatever order: its issuer, and every account an ACTIVE grant gives it to while it is neither
 * deleted nor expired. Every change of a licence or of one of its grants is recorded, then the
 * licence is evaluated against the groups of its issuer and of every account a grant of it is to
 * (those that hold it, and those that may just have stopped). The licence's own lock, taken before
 * anything of it is read or written and held to the commit, orders the licence's and its grants'
 * consumers: the one that takes it second reads what the first wrote. Account locks come after it
 * (AssetGroupMembership), never before, so no two holders wait for each other.
 */
export class LicenceHolding {
  private readonly db: Db;

  constructor(private readonly trx: Transaction<any>) {
    this.db = (trx as Db).withSchema(LICENSING_SCHEMA);
  }

  async lock(licenseArn: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`license-asset-licence:${licenseArn}`}))`.execute(this.db);
  }

  /** A version of the licence (its document as rules see it) recorded at stream version `version`; call under its lock. */
  async versionRecorded(issuerAccountId: string, asset: Asset, version: number): Promise<void> {
    await this.save(asset.arn, issuerAccountId, (record) => withVersion(record, asset, version));
  }

  /** The licence's status alone (deleted, expired) recorded at stream version `version`; call under its lock. */
  async statusRecorded(licenseArn: string, issuerAccountId: string, status: string, version: number): Promise<void> {
    await this.save(licenseArn, issuerAccountId, (record) => withStatus(record, status, version));
  }

  /**
   * A grant's event recorded: what it says of the grant is kept (its status only when the event is
   * later in the grant's stream than the one that set it). Answers the grant's licence, unknown
   * until its GrantCreated is applied.
   */
  async grantRecorded(facts: GrantFacts): Promise<string | null> {
    const row = await this.db
      .insertInto('license_asset_grants')
      .values({
        grant_arn: facts.grantArn,
        license_arn: facts.licenseArn ?? null,
        parent_arn: facts.parentArn ?? null,
        grantee_account_id: facts.granteeAccountId ?? null,
        status: facts.status ?? null,
        status_version: facts.status ? facts.statusVersion : 0,
      })
      .onConflict((oc) =>
        oc.column('grant_arn').doUpdateSet((eb) => ({
          license_arn: eb.fn.coalesce('license_asset_grants.license_arn', 'excluded.license_arn'),
          parent_arn: eb.fn.coalesce('license_asset_grants.parent_arn', 'excluded.parent_arn'),
          grantee_account_id: eb.fn.coalesce('license_asset_grants.grantee_account_id', 'excluded.grantee_account_id'),
          status: sql`case when excluded.status_version > license_asset_grants.status_version
            then excluded.status else license_asset_grants.status end`,
          status_version: sql`greatest(license_asset_grants.status_version, excluded.status_version)`,
        })),
      )
      .returning('license_arn')
      .executeTakeFirstOrThrow();
    return row.license_arn;
  }

  /** The licence evaluated against the groups of its issuer and of every account a grant of it is to; call under its lock. */
  async evaluate(licenseArn: string, at: Date): Promise<void> {
    const licence = await this.db
      .selectFrom('license_asset_licences')
      .select(['issuer_account_id', 'asset'])
      .where('license_arn', '=', licenseArn)
      .executeTakeFirst();
    if (!licence?.asset) return;
    const receivers = await receivedLicences(this.db).where('l.license_arn', '=', licenseArn).execute();
    const grantees = await this.db
      .selectFrom('license_asset_grants')
      .select('grantee_account_id')
      .distinct()
      .where('license_arn', '=', licenseArn)
      .where('grantee_account_id', 'is not', null)
      .execute();
    const holders = [licence.issuer_account_id, ...receivers.map((r) => r.grantee_account_id!)];
    const concerned = [licence.issuer_account_id, ...grantees.map((g) => g.grantee_account_id!)];
    await new AssetGroupMembership(this.trx).assetHeld(licence.asset, holders, concerned, at);
  }

  private async save(
    licenseArn: string,
    issuerAccountId: string,
    change: (record: LicenceRecord) => LicenceRecord,
  ): Promise<void> {
    const row = await this.db
      .selectFrom('license_asset_licences')
      .select(['asset', 'asset_version', 'status', 'status_version'])
      .where('license_arn', '=', licenseArn)
      .executeTakeFirst();
    const before: LicenceRecord = row
      ? { asset: row.asset, assetVersion: row.asset_version, status: row.status, statusVersion: row.status_version }
      : NO_LICENCE;
    const after = change(before);
    if (row && after === before) return;
    const values = {
      asset: after.asset ? stringifyExactJson(after.asset) : null,
      asset_version: after.assetVersion,
      status: after.status,
      status_version: after.statusVersion,
    };
    await this.db
      .insertInto('license_asset_licences')
      .values({ license_arn: licenseArn, issuer_account_id: issuerAccountId, ...values })
      .onConflict((oc) => oc.column('license_arn').doUpdateSet(values))
      .execute();
  }
}
