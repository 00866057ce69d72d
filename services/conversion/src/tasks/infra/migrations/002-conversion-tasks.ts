import { sql, type Kysely, type Migration } from 'kysely';

/** conversion_tasks: every license type conversion task, for Get, List and the timeout sweep. */
export const conversionTasksViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('conversion_tasks')
      .addColumn('task_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('resource_arn', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('start_time', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('task', 'jsonb', (c) => c.notNull())
      .execute();
    // Lists page by task id within an account; the sweep and the inventory look for tasks in progress.
    await db.schema
      .createIndex('conversion_tasks_by_account')
      .on('conversion_tasks')
      .columns(['account_id', 'task_id'])
      .execute();
    await db.schema
      .createIndex('conversion_tasks_in_progress')
      .on('conversion_tasks')
      .columns(['resource_arn', 'start_time'])
      .where(sql.ref('status'), '=', 'IN_PROGRESS')
      .execute();
  },
};
