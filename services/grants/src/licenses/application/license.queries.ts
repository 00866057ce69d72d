import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import type { Kysely } from 'kysely';
import { DATABASE, pageOf, singleValueFilters } from '@lm/service-kit';
import { parseLicenseArn } from '../domain/arn';
import { licenseNotFound } from '../domain/errors';
import { invalidParameterValue, resourceNotFound } from '@lm/contracts';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { LicenseViews } from './license.views';
import { LicenseAccess } from '../../grants/application/license-access';
import { LIST_FILTERS, LIST_PAGES } from '../../shared/list-rules';

/** ListLicenses filters (as the API documents them) and their columns. */
const LICENSE_FILTERS = {
  Beneficiary: 'beneficiary',
  ProductSKU: 'product_sku',
  Fingerprint: 'key_fingerprint',
  Status: 'status',
} as const;

@Injectable()
export class LicenseQueries {
  private readonly db: Kysely<LicenseViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<LicenseViews>,
    private readonly access: LicenseAccess,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** Any version of a licence the caller issued or was granted (deleted ones stay readable). */
  async get(caller: Caller, input: LicenseManager.GetLicenseRequest): Promise<LicenseManager.GetLicenseResponse> {
    const { license } = await this.access.readableLicense(caller, input.LicenseArn);
    if (input.Version === undefined || input.Version === license.Version) return { License: license };
    const version = Number(input.Version);
    if (!Number.isSafeInteger(version) || version < 1 || String(version) !== input.Version) {
      throw invalidParameterValue(`Version ${input.Version} is not a licence version (1, 2, ...).`);
    }
    const row = await this.db
      .selectFrom('license_versions')
      .select('document')
      .where('license_id', '=', parseLicenseArn(input.LicenseArn)!.id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw resourceNotFound(`Version ${input.Version} of license ${input.LicenseArn}`);
    return { License: row.document };
  }

  /** Every version of the licence, oldest first. */
  async listVersions(
    caller: Caller,
    input: LicenseManager.ListLicenseVersionsRequest,
  ): Promise<LicenseManager.ListLicenseVersionsResponse> {
    await this.access.readableLicense(caller, input.LicenseArn);
    const page = pageOf<{ version: number }>(caller.accountId, input, LIST_PAGES);
    let query = this.db
      .selectFrom('license_versions')
      .select(['version', 'document'])
      .where('license_id', '=', parseLicenseArn(input.LicenseArn)!.id);
    if (page.after) query = query.where('version', '>', page.after.version);
    const rows = await query
      .orderBy('version')
      .limit(page.limit + 1)
      .execute();
    const { items: versions, NextToken } = page.cut(rows, (row) => ({ version: row.version }));
    return { Licenses: versions.map((row) => row.document), NextToken };
  }

  /** The tags of a licence, to its issuer. */
  async tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    const row = await this.db
      .selectFrom('licenses')
      .select('tags')
      .where('license_arn', '=', arn)
      .where('issuer_account_id', '=', caller.accountId)
      .executeTakeFirst();
    if (!row) throw licenseNotFound(arn);
    return { Tags: row.tags };
  }

  /** The licences the caller issued (current versions, deleted ones included while they are kept). */
  async list(caller: Caller, input: LicenseManager.ListLicensesRequest): Promise<LicenseManager.ListLicensesResponse> {
    const page = pageOf<{ createdAt: string; id: string }>(caller.accountId, input, LIST_PAGES);
    let query = this.db
      .selectFrom('licenses')
      .select(['license_id', 'created_at', 'document'])
      .where('issuer_account_id', '=', caller.accountId);
    if (input.LicenseArns) {
      if (input.LicenseArns.length === 0) return { Licenses: [] };
      query = query.where('license_arn', 'in', input.LicenseArns);
    }
    for (const [column, value] of singleValueFilters(input.Filters, LICENSE_FILTERS, LIST_FILTERS))
      query = query.where(column, '=', value);
    if (page.after) {
      const { createdAt, id } = page.after;
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', new Date(createdAt)),
          eb.and([eb('created_at', '=', new Date(createdAt)), eb('license_id', '>', id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('license_id')
      .limit(page.limit + 1)
      .execute();
    const { items: licenses, NextToken } = page.cut(rows, (row) => ({
      createdAt: row.created_at.toISOString(),
      id: row.license_id,
    }));
    return { Licenses: licenses.map((row) => row.document), NextToken };
  }
}
