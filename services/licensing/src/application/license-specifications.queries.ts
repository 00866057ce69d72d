import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { decodePageToken, encodePageToken, pageSize } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { licenseConfigurationArn } from '../domain/license-configuration/arn';
import { invalidParameter } from '../domain/license-configuration/errors';
import { LICENSING_SCHEMA, type LicensingDatabase } from '../infra/database/schema';
import { LicenseConfigurationQueries } from './license-configuration.queries';
import { DATABASE } from './tokens';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 100;
const epochSeconds = (date: Date) => date.getTime() / 1000;

/** ListUsageForLicenseConfiguration filters (API model) and their columns. */
const USAGE_FILTERS = {
  resourceArn: 'resource_arn',
  resourceType: 'resource_type',
  resourceAccount: 'resource_owner_id',
} as const;

type AssociationsQuery = SelectQueryBuilder<LicensingDatabase, 'license_configuration_associations', any>;

/** The association lists: of a configuration, of its usage, and of a resource. */
@Injectable()
export class LicenseSpecificationQueries {
  private readonly db: Kysely<LicensingDatabase>;

  constructor(
    @Inject(DATABASE) db: Kysely<LicensingDatabase>,
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
      throw new AwsError(
        'FilterLimitExceededException',
        `At most ${Object.keys(USAGE_FILTERS).length} filters can be given.`,
      );
    }
    for (const filter of filters) {
      const column = USAGE_FILTERS[filter.Name as keyof typeof USAGE_FILTERS];
      if (!column)
        throw invalidParameter(
          `Filter name ${filter.Name} is not supported. Supported: ${Object.keys(USAGE_FILTERS).join(', ')}.`,
        );
      if (!filter.Values?.length) throw invalidParameter(`Filter ${filter.Name} needs a value.`);
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
    const limit = pageSize(input.MaxResults, DEFAULT_PAGE, MAX_PAGE);
    const after = decodePageToken<{ version: number }>(input.NextToken, caller.accountId);
    const rows = await this.db
      .selectFrom('license_operation_failures')
      .selectAll()
      .where('configuration_id', '=', configuration.id)
      .where('stream_version', '>', after?.version ?? 0)
      .orderBy('stream_version')
      .limit(limit + 1)
      .execute();
    const pageRows = rows.slice(0, limit);
    return {
      LicenseOperationFailureList: pageRows.map((row) => ({
        ResourceArn: row.resource_arn,
        ResourceType: row.resource_type,
        ErrorMessage: row.error_message,
        FailureTime: epochSeconds(row.failed_at),
        OperationName: row.operation_name,
        ResourceOwnerId: row.resource_owner_id,
        OperationRequestedBy: row.requested_by,
      })),
      NextToken:
        rows.length > limit
          ? encodePageToken(caller.accountId, { version: pageRows[pageRows.length - 1].stream_version })
          : undefined,
    } as LicenseManager.ListFailuresForLicenseConfigurationOperationsResponse;
  }

  /** One page in association order (time, then configuration and resource), with its NextToken. */
  private async page(caller: Caller, query: AssociationsQuery, input: { MaxResults?: number; NextToken?: string }) {
    const limit = pageSize(input.MaxResults, DEFAULT_PAGE, MAX_PAGE);
    const after = decodePageToken<{ at: string; configuration: string; resource: string }>(
      input.NextToken,
      caller.accountId,
    );
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
      .limit(limit + 1)
      .execute();
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const NextToken =
      rows.length > limit && last
        ? encodePageToken(caller.accountId, {
            at: last.associated_at.toISOString(),
            configuration: last.configuration_id,
            resource: last.resource_arn,
          })
        : undefined;
    return { rows: pageRows, NextToken };
  }
}
