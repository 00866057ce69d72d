import type { ColumnType } from 'kysely';
import type { ConversionTask } from '../domain/conversion-task';

/** The conversion tasks as Kysely sees them. */
export interface ConversionTaskViews {
  conversion_tasks: {
    task_id: string;
    account_id: string;
    region: string;
    resource_arn: string;
    status: string;
    start_time: ColumnType<Date, string, never>;
    stream_version: number;
    task: ColumnType<ConversionTask, string, string>;
  };
}
