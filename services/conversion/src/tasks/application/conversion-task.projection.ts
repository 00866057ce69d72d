import { defineProjection } from '@lm/event-store';
import { CONVERSION_SCHEMA } from '../../shared/schema';
import { evolveConversionTask } from '../domain/conversion-task';
import { CONVERSION_TASK_EVENT_TYPES, type ConversionTaskEvent } from '../domain/events';
import type { ConversionTaskViews } from './conversion-task.views';

/**
 * conversion_tasks, folded with the decider's own evolve. A task's events are in one stream, so
 * its row is updated only by a later version of that stream: replays change nothing.
 */
export const conversionTasksProjection = defineProjection<ConversionTaskEvent, ConversionTaskViews>()({
  name: 'conversion-tasks',
  eventTypes: CONVERSION_TASK_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(CONVERSION_SCHEMA);
    for (const event of events) {
      const { taskId } = event.data;
      if (event.type === 'LicenseConversionTaskStarted') {
        const task = evolveConversionTask(undefined, event);
        await db
          .insertInto('conversion_tasks')
          .values({
            task_id: taskId,
            account_id: task.accountId,
            region: task.region,
            resource_arn: task.resourceArn,
            status: task.status,
            start_time: task.startTime,
            stream_version: event.streamVersion,
            task: JSON.stringify(task),
          })
          .onConflict((oc) => oc.column('task_id').doNothing())
          .execute();
        continue;
      }
      const row = await db
        .selectFrom('conversion_tasks')
        .select(['task', 'stream_version'])
        .where('task_id', '=', taskId)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.stream_version >= event.streamVersion) continue;
      const task = evolveConversionTask(row.task, event);
      await db
        .updateTable('conversion_tasks')
        .set({ status: task.status, stream_version: event.streamVersion, task: JSON.stringify(task) })
        .where('task_id', '=', taskId)
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(CONVERSION_SCHEMA).deleteFrom('conversion_tasks').execute();
  },
});
