import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { DATABASE, pageOf, singleValueFilters } from '@lm/service-kit';
import { grantNotFound } from '../domain/decide';
import { isGrantee } from '../domain/principal';
import { invalidParameterValue, notAuthorized } from '@lm/contracts';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';
import type { LicenseViews } from '../../licenses/application/license.views';
import { coveringCaller, coveringOrganization } from './grant-coverage';
import { LIST_FILTERS, LIST_PAGES } from '../../shared/list-rules';

/** The filters of each grant list (as the API documents them) and their columns. */
const DISTRIBUTED_GRANT_FILTERS = {
  LicenseArn: 'grants.license_arn',
  GrantStatus: 'grants.status',
  GranteePrincipalARN: 'grants.grantee_principal_arn',
  ProductSKU: 'grants.product_sku',
  LicenseIssuerName: 'grants.license_issuer_name',
} as const;
const RECEIVED_GRANT_FILTERS = {
  ProductSKU: 'grants.product_sku',
  LicenseIssuerName: 'grants.license_issuer_name',
  LicenseArn: 'grants.license_arn',
  GrantStatus: 'grants.status',
  GranterAccountId: 'grants.grantor_account_id',
} as const;
const ORGANIZATION_GRANT_FILTERS = {
  ParentArn: 'grants.parent_arn',
  GranteePrincipalArn: 'grants.grantee_principal_arn',
} as const;
const RECEIVED_LICENSE_FILTERS = {
  ProductSKU: 'licenses.product_sku',
  Status: 'licenses.status',
  Fingerprint: 'licenses.key_fingerprint',
  IssuerName: 'licenses.issuer_name',
  Beneficiary: 'licenses.beneficiary',
} as const;
const ORGANIZATION_LICENSE_FILTERS = {
  Beneficiary: 'licenses.beneficiary',
  ProductSKU: 'licenses.product_sku',
} as const;

/** Which grant shows how a licence was received when several reach it: the most usable one. */
const RECEIVED_STATUS_ORDER = sql<number>`case grants.status when 'ACTIVE' then 0 when 'DISABLED' then 1 when 'PENDING_ACCEPT' then 2 else 3 end`;

type GrantsQuery = SelectQueryBuilder<GrantViews & LicenseViews, 'grants', object>;
type ReceivedQuery = SelectQueryBuilder<GrantViews & LicenseViews, 'grants' | 'licenses', object>;

@Injectable()
export class GrantQueries {
  private readonly db: Kysely<GrantViews & LicenseViews>;

  constructor(@Inject(DATABASE) db: Kysely<GrantViews & LicenseViews>) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** Any version of a grant, to its grantor and to its grantee account. */
  async get(caller: Caller, input: LicenseManager.GetGrantRequest): Promise<LicenseManager.GetGrantResponse> {
    const row = await this.db
      .selectFrom('grants')
      .select(['grant_id', 'grantor_account_id', 'state', 'document'])
      .where('grant_arn', '=', input.GrantArn)
      .executeTakeFirst();
    if (!row || (row.grantor_account_id !== caller.accountId && !isGrantee(row.state.principal, caller)))
      throw grantNotFound(input.GrantArn);
    if (input.Version === undefined || input.Version === row.document.Version) return { Grant: row.document };
    const version = Number(input.Version);
    if (!Number.isSafeInteger(version) || version < 1)
      throw invalidParameterValue(`Version ${input.Version} is not a grant version (1, 2, ...).`);
    const old = await this.db
      .selectFrom('grant_versions')
      .select('document')
      .where('grant_id', '=', row.grant_id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!old) throw grantNotFound(`${input.GrantArn} version ${input.Version}`);
    return { Grant: old.document };
  }

  /** The tags of a grant, to its grantor. */
  async tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    const row = await this.db
      .selectFrom('grants')
      .select('state')
      .where('grant_arn', '=', arn)
      .where('grantor_account_id', '=', caller.accountId)
      .executeTakeFirst();
    if (!row) throw grantNotFound(arn);
    return { Tags: row.state.tags };
  }

  listDistributed(
    caller: Caller,
    input: LicenseManager.ListDistributedGrantsRequest,
  ): Promise<LicenseManager.ListDistributedGrantsResponse> {
    let query = this.db.selectFrom('grants').where('grants.grantor_account_id', '=', caller.accountId);
    if (input.GrantArns?.length === 0) return Promise.resolve({ Grants: [] });
    if (input.GrantArns) query = query.where('grants.grant_arn', 'in', input.GrantArns);
    for (const [column, value] of singleValueFilters(input.Filters, DISTRIBUTED_GRANT_FILTERS, LIST_FILTERS))
      query = query.where(column, '=', value);
    return this.grantsPage(caller, input, query);
  }

  /** Grants to the caller's account, sub-grants of organization and OU grants included. */
  listReceived(
    caller: Caller,
    input: LicenseManager.ListReceivedGrantsRequest,
  ): Promise<LicenseManager.ListReceivedGrantsResponse> {
    let query = this.db.selectFrom('grants').where((eb) => coveringCaller(eb, caller));
    if (input.GrantArns?.length === 0) return Promise.resolve({ Grants: [] });
    if (input.GrantArns) query = query.where('grants.grant_arn', 'in', input.GrantArns);
    for (const [column, value] of singleValueFilters(input.Filters, RECEIVED_GRANT_FILTERS, LIST_FILTERS))
      query = query.where(column, '=', value);
    return this.grantsPage(caller, input, query);
  }

  /** The management account's view: grants of a licence received by any account of its organization. */
  listReceivedForOrganization(
    caller: Caller,
    input: LicenseManager.ListReceivedGrantsForOrganizationRequest,
  ): Promise<LicenseManager.ListReceivedGrantsForOrganizationResponse> {
    const organization = managedOrganization(caller);
    let query = this.db
      .selectFrom('grants')
      .where('grants.license_arn', '=', input.LicenseArn)
      .where((eb) => coveringOrganization(eb, organization));
    for (const [column, value] of singleValueFilters(input.Filters, ORGANIZATION_GRANT_FILTERS, LIST_FILTERS))
      query = query.where(column, '=', value);
    return this.grantsPage(caller, input, query);
  }

  /** Licences the caller received through grants, each with how it holds it (ReceivedMetadata). */
  listReceivedLicenses(
    caller: Caller,
    input: LicenseManager.ListReceivedLicensesRequest,
  ): Promise<LicenseManager.ListReceivedLicensesResponse> {
    let query = this.receivedLicenses().where((eb) => coveringCaller(eb, caller));
    if (input.LicenseArns?.length === 0) return Promise.resolve({ Licenses: [] });
    if (input.LicenseArns) query = query.where('licenses.license_arn', 'in', input.LicenseArns);
    for (const [column, value] of singleValueFilters(input.Filters, RECEIVED_LICENSE_FILTERS, LIST_FILTERS))
      query = query.where(column, '=', value);
    return this.licensesPage(caller, input, query);
  }

  listReceivedLicensesForOrganization(
    caller: Caller,
    input: LicenseManager.ListReceivedLicensesForOrganizationRequest,
  ): Promise<LicenseManager.ListReceivedLicensesForOrganizationResponse> {
    const organization = managedOrganization(caller);
    let query = this.receivedLicenses().where((eb) => coveringOrganization(eb, organization));
    for (const [column, value] of singleValueFilters(input.Filters, ORGANIZATION_LICENSE_FILTERS, LIST_FILTERS))
      query = query.where(column, '=', value);
    return this.licensesPage(caller, input, query);
  }

  private async grantsPage(
    caller: Caller,
    input: { NextToken?: string; MaxResults?: number },
    query: GrantsQuery,
  ): Promise<{ Grants: LicenseManager.Grant[]; NextToken?: string }> {
    const page = pageOf<{ createdAt: string; id: string }>(caller.accountId, input, LIST_PAGES);
    if (page.after) {
      const { createdAt, id } = page.after;
      query = query.where((eb) =>
        eb.or([
          eb('grants.created_at', '>', new Date(createdAt)),
          eb.and([eb('grants.created_at', '=', new Date(createdAt)), eb('grants.grant_id', '>', id)]),
        ]),
      );
    }
    const rows = await query
      .select(['grants.grant_id', 'grants.created_at', 'grants.document'])
      .orderBy('grants.created_at')
      .orderBy('grants.grant_id')
      .limit(page.limit + 1)
      .execute();
    const { items: grants, NextToken } = page.cut(rows, (row) => ({
      createdAt: row.created_at.toISOString(),
      id: row.grant_id,
    }));
    return { Grants: grants.map((row) => row.document), NextToken };
  }

  /** Licences joined with the grants that reach them; a deleted grant reaches nothing. */
  private receivedLicenses(): ReceivedQuery {
    return this.db
      .selectFrom('grants')
      .innerJoin('licenses', 'licenses.license_arn', 'grants.license_arn')
      .where('grants.status', '!=', 'DELETED');
  }

  /** One entry per licence (the most usable grant's), in licence id order. */
  private async licensesPage(
    caller: Caller,
    input: { NextToken?: string; MaxResults?: number },
    query: ReceivedQuery,
  ): Promise<{ Licenses: LicenseManager.GrantedLicense[]; NextToken?: string }> {
    const page = pageOf<{ id: string }>(caller.accountId, input, LIST_PAGES);
    if (page.after) query = query.where('licenses.license_id', '>', page.after.id);
    const rows = await query
      .distinctOn('licenses.license_id')
      .select(['licenses.license_id', 'licenses.document as license', 'grants.document as grant'])
      .orderBy('licenses.license_id')
      .orderBy(RECEIVED_STATUS_ORDER)
      .orderBy('grants.created_at')
      .limit(page.limit + 1)
      .execute();
    const { items: licenses, NextToken } = page.cut(rows, (row) => ({ id: row.license_id }));
    return {
      Licenses: licenses.map(({ license, grant }) => ({
        ...license,
        ReceivedMetadata: {
          ReceivedStatus: grant.GrantStatus as LicenseManager.ReceivedStatus,
          ReceivedStatusReason: grant.StatusReason,
          AllowedOperations: grant.GrantedOperations,
        },
      })),
      NextToken,
    };
  }
}

function managedOrganization(caller: Caller): NonNullable<Caller['organization']> {
  const organization = caller.organization;
  if (!organization || organization.managementAccountId !== caller.accountId) {
    throw notAuthorized("Only an organization's management account can list what its accounts received.");
  }
  return organization;
}
