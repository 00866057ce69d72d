import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { filterLimitExceeded, invalidParameterValue, type Caller } from '@lm/contracts';
import { DATABASE, pageOf } from '@lm/service-kit';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { licenseConfigurationArn } from '../../configurations/domain/arn';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from '../../configurations/application/license-configuration.views';
import type { InventoryViews } from './inventory.views';
import { LicenseConfigurationQueries } from '../../configurations/application/license-configuration.queries';

const PAGE_RULES = { defaultSize: 100, maxSize: 100 };
const epochSeconds = (date: Date) => date.getTime() / 1000;

/** ListUsageForLicenseConfiguration filters (API model) and their columns. */
const USAGE_FILTERS = {
  resourceArn: 'resource_arn',
  resourceType: 'resource_type',
  resourceAccount: 'resource_owner_id',
} as const;

/**
 * The association lists' query, whatever it joins: Kysely cannot type one paging helper over
 * builders of different table sets, so the usage list's join is seen through this type.
 */
type AssociationsQuery = SelectQueryBuilder<
  LicenseConfigurationViews & InventoryViews,
  'license_configuration_associations',
  any
>;

/** The association lists: of a configuration, of its usage, and of a resource. */
@Injectable()
export class LicenseSpecificationQueries {
  private readonly db: Kysely<LicenseConfigurationViews & InventoryViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<LicenseConfigurationViews & InventoryViews>,
    private readonly configurations: LicenseConfigurationQueries,
  ) {
    this.db = db.withSchema(LICENSING_SCHEMA);
  }

  async associations(caller: Caller, input: LicenseManager.ListAssociationsForLicenseConfigurationRequest) {
    const configuration = await this.configurations.owned(caller, input.LicenseConfigurationArn);
    const query = this.db
      .selectFrom('license_configuration_associations')
      .selectAll()
      .where('configuration_id', '=', configuration.id);
    const { rows, NextToken } = await this.page(caller, query, input);
    return {
      LicenseConfigurationAssociations: rows.map((row) => ({
        ResourceArn: row.resource_arn,
        ResourceType: row.resource_type,
        ResourceOwnerId: row.resource_owner_id,
        AssociationTime: epochSeconds(row.associated_at),
        AmiAssociationScope: row.ami_association_scope ?? undefined,
      })),
      NextToken,
    } as LicenseManager.ListAssociationsForLicenseConfigurationResponse;
  }

  async usage(caller: Caller, input: LicenseManager.ListUsageForLicenseConfigurationRequest) {
    const configuration = await this.configurations.owned(caller, input.LicenseConfigurationArn);
    let query = this.db
      .selectFrom('license_configuration_associations')
      .leftJoin('resources', 'resources.resource_arn', 'license_configuration_associations.resource_arn')
      .selectAll('license_configuration_associations')
      .select('resources.state')
      .where('configuration_id', '=', configuration.id) as unknown as AssociationsQuery;
    const filters = input.Filters ?? [];
    if (filters.length > Object.keys(USAGE_FILTERS).length) {
      throw filterLimitExceeded(`At most ${Object.keys(USAGE_FILTERS).length} filters can be given.`);
    }
    for (const filter of filters) {
      const column = USAGE_FILTERS[filter.Name as keyof typeof USAGE_FILTERS];
      if (!column)
        throw invalidParameterValue(
          `Filter name ${filter.Name} is not supported. Supported: ${Object.keys(USAGE_FILTERS).join(', ')}.`,
        );
      if (!filter.Values?.length) throw invalidParameterValue(`Filter ${filter.Name} needs a value.`);
      query = query.where(`license_configuration_associations.${column}`, 'in', filter.Values);
    }
    const { rows, NextToken } = await this.page(caller, query, input);
    return {
      LicenseConfigurationUsageList: rows.map((row) => ({
        ResourceArn: row.resource_arn,
        ResourceType: row.resource_type,
        ResourceStatus: row.state ?? undefined,
        ResourceOwnerId: row.resource_owner_id,
        AssociationTime: epochSeconds(row.associated_at),
        ConsumedLicenses: row.consumed_licenses,
      })),
      NextToken,
    } as LicenseManager.ListUsageForLicenseConfigurationResponse;
  }

  async ofResource(caller: Caller, input: LicenseManager.ListLicenseSpecificationsForResourceRequest) {
    const query = this.db
      .selectFrom('license_configuration_associations')
      .selectAll()
      .where('resource_arn', '=', input.ResourceArn)
      .where('resource_owner_id', '=', caller.accountId);
    const { rows, NextToken } = await this.page(caller, query, input);
    return {
      LicenseSpecifications: rows.map((row) => ({
        LicenseConfigurationArn: licenseConfigurationArn(caller.region, caller.accountId, row.configuration_id),
        AmiAssociationScope: row.ami_association_scope ?? undefined,
      })),
      NextToken,
    } as LicenseManager.ListLicenseSpecificationsForResourceResponse;
  }

  async failures(caller: Caller, input: LicenseManager.ListFailuresForLicenseConfigurationOperationsRequest) {
    const configuration = await this.configurations.owned(caller, input.LicenseConfigurationArn);
    const page = pageOf<{ version: number }>(caller.accountId, input, PAGE_RULES);
    const rows = await this.db
      .selectFrom('license_operation_failures')
      .selectAll()
      .where('configuration_id', '=', configuration.id)
      .where('stream_version', '>', page.after?.version ?? 0)
      .orderBy('stream_version')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ version: row.stream_version }));
    return {
      LicenseOperationFailureList: items.map((row) => ({
        ResourceArn: row.resource_arn,
        ResourceType: row.resource_type,
        ErrorMessage: row.error_message,
        FailureTime: epochSeconds(row.failed_at),
        OperationName: row.operation_name,
        ResourceOwnerId: row.resource_owner_id,
        OperationRequestedBy: row.requested_by,
      })),
      NextToken,
    } as LicenseManager.ListFailuresForLicenseConfigurationOperationsResponse;
  }

  /** One page in association order (time, then configuration and resource), with its NextToken. */
  private async page(caller: Caller, query: AssociationsQuery, input: { MaxResults?: number; NextToken?: string }) {
    const page = pageOf<{ at: string; configuration: string; resource: string }>(caller.accountId, input, PAGE_RULES);
    const after = page.after;
    const table = 'license_configuration_associations';
    if (after) {
      query = query.where((eb) =>
        eb(
          eb.refTuple(`${table}.associated_at`, `${table}.configuration_id`, `${table}.resource_arn`),
          '>',
          eb.tuple(new Date(after.at), after.configuration, after.resource),
        ),
      );
    }
    const rows = await query
      .orderBy(`${table}.associated_at`)
      .orderBy(`${table}.configuration_id`)
      .orderBy(`${table}.resource_arn`)
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({
      at: row.associated_at.toISOString(),
      configuration: row.configuration_id,
      resource: row.resource_arn,
    }));
    return { rows: items, NextToken };
  }
}
