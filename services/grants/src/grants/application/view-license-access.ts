import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, DATABASE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { licenseNotFound } from '../../licenses/domain/errors';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';
import type { LicenseViews } from '../../licenses/application/license.views';
import { coveringCaller } from './grant-coverage';
import { LicenseAccess, type AccessibleLicense, type LicenseSelector } from './license-access';

/** Grant statuses in which a grantee still sees the licence (a grant rejected or deleted shows nothing). */
const READABLE_GRANT_STATUSES = ['PENDING_ACCEPT', 'ACTIVE', 'DISABLED'];

/** Statuses of a grant whose sub-grants are usable. */
const USABLE_PARENT_STATUSES = ['ACTIVE', 'WORKFLOW_COMPLETED'];

/** LicenseAccess answered from the licences and grants views. */
@Injectable()
export class ViewLicenseAccess extends LicenseAccess {
  private readonly db: Kysely<GrantViews & LicenseViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<GrantViews & LicenseViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  async usableLicenses(
    caller: Caller,
    operation: LicenseManager.AllowedOperation,
    selector: LicenseSelector,
  ): Promise<AccessibleLicense[]> {
    const now = this.clock.now();
    let usable = this.db
      .selectFrom('licenses')
      .where('licenses.status', '=', 'AVAILABLE')
      .where('licenses.valid_from', '<=', now)
      .where((eb) => eb.or([eb('licenses.valid_until', 'is', null), eb('licenses.valid_until', '>', now)]));
    if ('licenseArn' in selector) {
      usable = usable.where('licenses.license_arn', '=', selector.licenseArn);
    } else {
      usable = usable
        .where('licenses.product_sku', '=', selector.productSku)
        .where('licenses.key_fingerprint', '=', selector.keyFingerprint);
      if (selector.beneficiary !== undefined) usable = usable.where('licenses.beneficiary', '=', selector.beneficiary);
    }
    if (caller.restrictedToLicenseArn)
      usable = usable.where('licenses.license_arn', '=', caller.restrictedToLicenseArn);

    const issued = await usable
      .where('licenses.issuer_account_id', '=', caller.accountId)
      .select(['licenses.document', 'licenses.issuer_account_id'])
      .orderBy('licenses.created_at')
      .execute();
    // A sub-grant is usable while the grant it derives from is ACTIVE too, or distributed (an
    // organization or OU grant, whose status is its workflow's).
    const granted = await usable
      .innerJoin('grants', 'grants.license_arn', 'licenses.license_arn')
      .leftJoin('grants as parent', 'parent.grant_arn', 'grants.parent_arn')
      .where('grants.status', '=', 'ACTIVE')
      .where((eb) => coveringCaller(eb, caller))
      .where(sql<boolean>`grants.document->'GrantedOperations' ? ${operation}`)
      .where((eb) => eb.or([eb('parent.grant_arn', 'is', null), eb('parent.status', 'in', USABLE_PARENT_STATUSES)]))
      .select([
        'licenses.document',
        'licenses.issuer_account_id',
        'grants.grant_arn',
        sql<LicenseManager.AllowedOperation[]>`grants.document->'GrantedOperations'`.as('operations'),
      ])
      .orderBy('licenses.created_at')
      .orderBy('grants.created_at')
      .execute();

    const reached = new Map<string, AccessibleLicense>();
    for (const row of issued) {
      reached.set(row.document.LicenseArn, {
        license: row.document,
        issuerAccountId: row.issuer_account_id,
        route: { kind: 'issuer' },
      });
    }
    const routes = granted.filter((row) => !reached.has(row.document.LicenseArn));
    const rootBuyers = await this.rootBuyers(routes.map((row) => row.grant_arn));
    for (const row of routes) {
      if (reached.has(row.document.LicenseArn)) continue;
      reached.set(row.document.LicenseArn, {
        license: row.document,
        issuerAccountId: row.issuer_account_id,
        route: {
          kind: 'grant',
          grantArn: row.grant_arn,
          grantedOperations: row.operations,
          rootBuyerAccountId: rootBuyers.get(row.grant_arn),
        },
      });
    }
    return [...reached.values()];
  }

  /**
   * The root buyer of each grant: up its chain of parents (a grant made by a grantee, an
   * organization grant's sub-grant) to the licence, the topmost grant to one account names it.
   */
  private async rootBuyers(grantArns: string[]): Promise<Map<string, string>> {
    if (grantArns.length === 0) return new Map();
    const grants = sql.id(GRANTS_SCHEMA, 'grants');
    const { rows } = await sql<{ start: string; root: string }>`
      with recursive chain (start, grant_arn, parent_arn, grantee_account_id, depth) as (
        select grant_arn, grant_arn, parent_arn, grantee_account_id, 0 from ${grants}
        where grant_arn in (${sql.join(grantArns)})
        union all
        select chain.start, g.grant_arn, g.parent_arn, g.grantee_account_id, chain.depth + 1
        from ${grants} g join chain on g.grant_arn = chain.parent_arn
      )
      select distinct on (start) start, grantee_account_id as root from chain
      where grantee_account_id is not null
      order by start, depth desc`.execute(this.db);
    return new Map(rows.map((row) => [row.start, row.root]));
  }

  async readableLicense(caller: Caller, licenseArn: string): Promise<AccessibleLicense> {
    if (caller.restrictedToLicenseArn && caller.restrictedToLicenseArn !== licenseArn)
      throw licenseNotFound(licenseArn);
    const row = await this.db
      .selectFrom('licenses')
      .select(['document', 'issuer_account_id'])
      .where('license_arn', '=', licenseArn)
      .executeTakeFirst();
    if (!row) throw licenseNotFound(licenseArn);
    if (row.issuer_account_id === caller.accountId)
      return { license: row.document, issuerAccountId: row.issuer_account_id, route: { kind: 'issuer' } };
    // The grant that best shows how the caller holds the licence: an ACTIVE one first.
    const grant = await this.db
      .selectFrom('grants')
      .select(['grant_arn', sql<LicenseManager.AllowedOperation[]>`document->'GrantedOperations'`.as('operations')])
      .where('license_arn', '=', licenseArn)
      .where('status', 'in', READABLE_GRANT_STATUSES)
      .where((eb) => coveringCaller(eb, caller))
      .orderBy(sql`status = 'ACTIVE'`, 'desc')
      .orderBy('created_at')
      .executeTakeFirst();
    if (!grant) throw licenseNotFound(licenseArn);
    return {
      license: row.document,
      issuerAccountId: row.issuer_account_id,
      route: { kind: 'grant', grantArn: grant.grant_arn, grantedOperations: grant.operations },
    };
  }
}
