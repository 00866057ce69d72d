import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, type Caller } from '@lm/contracts';
import { DATABASE, pageOf, type PageRules } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { CONVERSION_SCHEMA } from '../../shared/schema';
import { toLicenseConversionTask } from '../domain/conversion-task';
import { conversionTaskFilters } from '../domain/task-filters';
import type { ConversionTaskViews } from './conversion-task.views';

const PAGE: PageRules = { defaultSize: 50, maxSize: 100 };

/** GetLicenseConversionTask and ListLicenseConversionTasks: a caller sees its own tasks only. */
@Injectable()
export class ConversionTaskQueries {
  private readonly db: Kysely<ConversionTaskViews>;

  constructor(@Inject(DATABASE) db: Kysely<ConversionTaskViews>) {
    this.db = db.withSchema(CONVERSION_SCHEMA);
  }

  async get(
    caller: Caller,
    input: LicenseManager.GetLicenseConversionTaskRequest,
  ): Promise<LicenseManager.GetLicenseConversionTaskResponse> {
    const row = await this.db
      .selectFrom('conversion_tasks')
      .select('task')
      .where('task_id', '=', input.LicenseConversionTaskId)
      .where('account_id', '=', caller.accountId)
      .executeTakeFirst();
    // The model lists no not-found error for this operation.
    if (!row) throw invalidParameterValue(`License conversion task ${input.LicenseConversionTaskId} was not found.`);
    return toLicenseConversionTask(row.task);
  }

  async list(
    caller: Caller,
    input: LicenseManager.ListLicenseConversionTasksRequest,
  ): Promise<LicenseManager.ListLicenseConversionTasksResponse> {
    const filters = conversionTaskFilters(input.Filters);
    const page = pageOf<{ taskId: string }>(caller.accountId, input, PAGE);
    let query = this.db
      .selectFrom('conversion_tasks')
      .select(['task_id', 'task'])
      .where('account_id', '=', caller.accountId)
      .orderBy('task_id')
      .limit(page.limit + 1);
    if (filters.resourceArns) query = query.where('resource_arn', 'in', filters.resourceArns);
    if (filters.status) query = query.where('status', '=', filters.status);
    if (page.after) query = query.where('task_id', '>', page.after.taskId);
    const { items, NextToken } = page.cut(await query.execute(), (row) => ({ taskId: row.task_id }));
    return { LicenseConversionTasks: items.map((row) => toLicenseConversionTask(row.task)), NextToken };
  }
}
