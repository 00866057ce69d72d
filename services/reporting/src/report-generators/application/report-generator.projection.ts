import { defineProjection } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { parseReportGeneratorArn } from '../domain/arn';
import { REPORT_GENERATOR_EVENT_TYPES, type ReportGeneratorEvent } from '../domain/events';
import { evolveReportGenerator, type ReportGeneratorAggregate } from '../domain/report-generator';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { ReportGeneratorViews } from './report-generator.views';

const idOf = (arn: string) => parseReportGeneratorArn(arn)!.id;

/** The columns a generator's state sets. */
const columnsOf = (generator: ReportGeneratorAggregate, streamVersion: number) => ({
  license_configuration_arns: JSON.stringify(generator.definition.licenseConfigurationArns),
  next_run_at: generator.nextRunAt,
  stream_version: streamVersion,
  state: JSON.stringify(generator),
});

/**
 * The report_generators view keeps each live generator's state, folded with the decider's own
 * evolve, so that the view and the aggregate cannot disagree; a deleted generator's row goes.
 * ClientTokens of creations are kept (a retried create answers the first ARN, even once deleted).
 * The stream version guard makes replays harmless.
 */
export const reportGeneratorsProjection = defineProjection<ReportGeneratorEvent, ReportGeneratorViews>()({
  name: 'report-generators',
  eventTypes: REPORT_GENERATOR_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(REPORTING_SCHEMA);
    for (const event of events) {
      if (event.type === 'ReportGeneratorCreated') {
        const { arn, accountId, region, createdAt, clientToken, requestHash } = event.data;
        const state = evolveReportGenerator({ status: 'absent' }, event);
        if (state.status !== 'present') continue;
        await db
          .insertInto('report_generators')
          .values({
            id: idOf(arn),
            arn,
            account_id: accountId,
            region,
            created_at: createdAt,
            ...columnsOf(state.generator, event.streamVersion),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        await db
          .insertInto('report_generator_client_tokens')
          .values({ account_id: accountId, client_token: clientToken, request_hash: requestHash, arn })
          .execute();
        continue;
      }
      if (event.type === 'ReportGeneratorDeleted') {
        await db.deleteFrom('report_generators').where('id', '=', idOf(event.data.arn)).execute();
        continue;
      }
      await evolveRow(db, event);
    }
  },
  async truncate(db) {
    await db.withSchema(REPORTING_SCHEMA).deleteFrom('report_generators').execute();
    await db.withSchema(REPORTING_SCHEMA).deleteFrom('report_generator_client_tokens').execute();
  },
});

async function evolveRow(
  db: Transaction<ReportGeneratorViews>,
  event: ReportGeneratorEvent & { streamVersion: number },
): Promise<void> {
  const id = idOf(event.data.arn);
  const row = await db
    .selectFrom('report_generators')
    .select(['state', 'stream_version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.stream_version >= event.streamVersion) return;
  const state = evolveReportGenerator({ status: 'present', generator: row.state }, event);
  if (state.status !== 'present') return;
  await db
    .updateTable('report_generators')
    .set(columnsOf(state.generator, event.streamVersion))
    .where('id', '=', id)
    .execute();
}
