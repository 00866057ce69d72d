import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, REGION, singleValueFilters } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { reportGeneratorNotFound, taggedGeneratorNotFound } from '../domain/errors';
import { toReportGeneratorOutput, type ReportGeneratorAggregate } from '../domain/report-generator';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { ReportGeneratorViews } from './report-generator.views';

/** ListLicenseManagerReportGenerators' one filter (the model's documentation). */
const FILTERS = { LicenseConfigurationArn: 'license_configuration_arns' } as const;
const PAGES = { defaultSize: 100, maxSize: 100 };

/** The caller's generators, read from the view its writes updated in their own transaction. */
@Injectable()
export class ReportGeneratorQueries {
  private readonly db: Kysely<ReportGeneratorViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<ReportGeneratorViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  async get(caller: Caller, arn: string): Promise<LicenseManager.GetLicenseManagerReportGeneratorResponse> {
    return { ReportGenerator: toReportGeneratorOutput(await this.own(caller, arn)) };
  }

  async list(
    caller: Caller,
    input: LicenseManager.ListLicenseManagerReportGeneratorsRequest,
  ): Promise<LicenseManager.ListLicenseManagerReportGeneratorsResponse> {
    const filters = singleValueFilters(input.Filters, FILTERS, { manyValuesError: 'InvalidParameterValueException' });
    const page = pageOf<{ createdAt: string; id: string }>(caller.accountId, input, PAGES);
    let query = this.db
      .selectFrom('report_generators')
      .select(['id', 'created_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    for (const [, arn] of filters)
      query = query.where(sql<boolean>`license_configuration_arns @> ${JSON.stringify([arn])}::jsonb`);
    if (page.after) {
      const { createdAt, id } = page.after;
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', new Date(createdAt)),
          eb.and([eb('created_at', '=', new Date(createdAt)), eb('id', '>', id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ createdAt: row.created_at.toISOString(), id: row.id }));
    return { ReportGenerators: items.map((row) => toReportGeneratorOutput(row.state)), NextToken };
  }

  async tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    return { Tags: (await this.own(caller, arn, taggedGeneratorNotFound)).tags };
  }

  private async own(
    caller: Caller,
    arn: string,
    notFound = reportGeneratorNotFound,
  ): Promise<ReportGeneratorAggregate> {
    const row = await this.db
      .selectFrom('report_generators')
      .select('state')
      .where('arn', '=', arn)
      .where('account_id', '=', caller.accountId)
      .executeTakeFirst();
    if (!row) throw notFound(arn);
    return row.state;
  }
}
