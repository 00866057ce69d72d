import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, singleValueFilters } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import { precompiled } from '@lm/event-store';
import { sql, type Kysely } from 'kysely';
import { parseLicenseConfigurationArn } from '../domain/arn';
import { licenseConfigurationNotFound } from '../domain/errors';
import { invalidParameterValue } from '@lm/contracts';
import type { LicenseConfiguration } from '../domain/license-configuration';
import { toTagList } from '../domain/tags';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from './license-configuration.views';
import { toGetLicenseConfigurationOutput, toLicenseConfigurationOutput } from './license-configuration-output';
import { ConfigurationSharing } from './configuration-sharing.queries';
import {
  consumedLicensesSql,
  consumptionSummaries,
  consumptionJoinsSql,
  noConsumption,
  summariesOf,
  summaryColumnsSql,
  type ConsumptionSummary,
  type ConsumptionSummaryRow,
} from './consumption-summaries';

const PAGE_RULES = { defaultSize: 100, maxSize: 100 };

/** A configuration's document and its consumption, one row per resource type: the hottest read, compiled once. */
export const readConfigurationWithConsumption = precompiled(
  (_db: Kysely<LicenseConfigurationViews>, { id, accountId }: { id: string; accountId: string }) => {
    const configurationId = sql.ref('c.id');
    return sql<{ document: LicenseConfiguration } & Partial<ConsumptionSummaryRow>>`
      select c.document, ${summaryColumnsSql(configurationId)}
      from ${sql.id(LICENSING_SCHEMA, 'license_configurations')} c ${consumptionJoinsSql(configurationId)}
      where c.id = ${id} and c.owner_account_id = ${accountId}
      order by by_type.resource_type`;
  },
);

/** ListLicenseConfigurations filter names (case-sensitive, as the API documents them) and their columns. */
const FILTER_COLUMNS = {
  licenseCountingType: 'counting_type',
  enforceLicenseCount: 'hard_limit',
  usagelimitExceeded: 'usage_limit_exceeded', // computed from the associations
} as const;
const FILTER_NAMES = Object.fromEntries(Object.entries(FILTER_COLUMNS).map(([name, column]) => [column, name]));

const BOOLEAN_VALUES: Record<string, boolean> = { true: true, false: false };

@Injectable()
export class LicenseConfigurationQueries {
  private readonly db: Kysely<LicenseConfigurationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<LicenseConfigurationViews>,
    private readonly sharing: ConfigurationSharing,
  ) {
    this.db = db.withSchema(LICENSING_SCHEMA);
  }

  /** The owner's configurations, and those its organization's management account shares with it. */
  async get(caller: Caller, arn: string): Promise<LicenseManager.GetLicenseConfigurationResponse> {
    const { id, accountId } = this.visibleParts(arn, caller.region, await this.sharing.usableOwners(caller));
    // The document and its consumption in one statement: one round trip for the hottest read.
    const { rows } = await readConfigurationWithConsumption(this.db, { id, accountId });
    if (rows.length === 0) throw licenseConfigurationNotFound(arn);
    const summary = summariesOf(
      rows.filter((row): row is typeof row & ConsumptionSummaryRow => !!row.configuration_id),
    );
    return toGetLicenseConfigurationOutput(rows[0].document, summary.get(id) ?? noConsumption());
  }

  /** Maps configurations to their output with what their associations consume. */
  private async withConsumption<T>(
    configurations: LicenseConfiguration[],
    output: (c: LicenseConfiguration, consumption: ConsumptionSummary) => T,
  ): Promise<T[]> {
    const consumption = await consumptionSummaries(
      this.db,
      configurations.map((c) => c.id),
    );
    return configurations.map((c) => output(c, consumption.get(c.id) ?? noConsumption()));
  }

  /** What the caller sees: its own configurations and those shared with it. */
  async list(
    caller: Caller,
    input: LicenseManager.ListLicenseConfigurationsRequest,
  ): Promise<LicenseManager.ListLicenseConfigurationsResponse> {
    return this.listOf(caller, [...(await this.sharing.usableOwners(caller))], input);
  }

  /** The management account's view of every configuration in its organization. */
  async listForOrganization(
    caller: Caller,
    input: LicenseManager.ListLicenseConfigurationsForOrganizationRequest,
  ): Promise<LicenseManager.ListLicenseConfigurationsForOrganizationResponse> {
    const organization = caller.organization;
    if (!organization || organization.managementAccountId !== caller.accountId) {
      throw new AwsError(
        'AuthorizationException',
        'Only the management account of an organization can list its license configurations.',
      );
    }
    return this.listOf(caller, organization.memberAccountIds ?? [caller.accountId], input);
  }

  async tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    return { Tags: toTagList((await this.owned(caller, arn)).tags) };
  }

  private async listOf(
    caller: Caller,
    owners: string[],
    input: LicenseManager.ListLicenseConfigurationsRequest,
  ): Promise<LicenseManager.ListLicenseConfigurationsResponse> {
    const page = pageOf<{ createdAt: string; id: string }>(caller.accountId, input, PAGE_RULES);
    const after = page.after;
    let query = this.db
      .selectFrom('license_configurations')
      .select(['id', 'created_at', 'document'])
      .where('owner_account_id', 'in', owners)
      .where('region', '=', caller.region);
    if (input.LicenseConfigurationArns) {
      const ids = input.LicenseConfigurationArns.map((arn) => {
        const parts = parseLicenseConfigurationArn(arn);
        if (!parts) throw invalidParameterValue(`${arn} is not a license configuration ARN.`);
        return parts.id;
      });
      if (ids.length === 0) return { LicenseConfigurations: [] };
      query = query.where('id', 'in', ids);
    }
    const filters = singleValueFilters(input.Filters, FILTER_COLUMNS, {
      maxFilters: Object.keys(FILTER_COLUMNS).length,
    });
    for (const [column, value] of filters) {
      if (column === 'counting_type') {
        query = query.where('counting_type', '=', value);
      } else {
        const wanted = BOOLEAN_VALUES[value.toLowerCase()];
        if (wanted === undefined)
          throw invalidParameterValue(`Filter ${FILTER_NAMES[column]} takes true or false, not ${value}.`);
        query =
          column === 'hard_limit'
            ? query.where('hard_limit', '=', wanted)
            : query.where(
                sql<boolean>`(${consumedLicensesSql} > coalesce((document->>'licenseCount')::bigint, ${Number.MAX_SAFE_INTEGER}))`,
                '=',
                wanted,
              );
      }
    }
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', new Date(after.createdAt)),
          eb.and([eb('created_at', '=', new Date(after.createdAt)), eb('id', '>', after.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ createdAt: row.created_at.toISOString(), id: row.id }));
    return {
      LicenseConfigurations: await this.withConsumption(
        items.map((row) => row.document),
        toLicenseConfigurationOutput,
      ),
      NextToken,
    };
  }

  /** The caller's configuration an ARN names, or the not-found error another account also gets. */
  async owned(caller: Caller, arn: string): Promise<LicenseConfiguration> {
    return this.find(arn, caller.region, new Set([caller.accountId]));
  }

  private async find(arn: string, region: string, owners: ReadonlySet<string>): Promise<LicenseConfiguration> {
    const parts = this.visibleParts(arn, region, owners);
    const row = await this.db
      .selectFrom('license_configurations')
      .select('document')
      .where('id', '=', parts.id)
      .where('owner_account_id', '=', parts.accountId)
      .executeTakeFirst();
    if (!row) throw licenseConfigurationNotFound(arn);
    return row.document;
  }

  /** The parts of an ARN of the region naming a configuration one of `owners` owns, or the not-found error. */
  private visibleParts(arn: string, region: string, owners: ReadonlySet<string>) {
    const parts = parseLicenseConfigurationArn(arn);
    if (!parts || parts.region !== region || !owners.has(parts.accountId)) throw licenseConfigurationNotFound(arn);
    return parts;
  }
}
