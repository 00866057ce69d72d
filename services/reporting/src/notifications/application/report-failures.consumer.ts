import { Inject, Injectable } from '@nestjs/common';
import { assertCataloguedVersion, type DomainEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { reportRunFailed } from '../domain/messages';
import type { ReportGeneratorEvent } from '../../report-generators/domain/events';
import type { ReportGeneratorViews } from '../../report-generators/application/report-generator.views';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { ACCOUNT_TOPICS, type AccountTopics } from './account-topics';
import { NotificationOutbox } from './notification-outbox';

type RunFailedMessage = DomainEventMessage<Extract<ReportGeneratorEvent, { type: 'ReportRunFailed' }>['data']> & {
  type: 'ReportRunFailed';
};

/** A report generator's failed run, its data at the version this build reads (another throws, to be redelivered). */
function isRunFailed(event: DomainEventMessage<object>): event is RunFailedMessage {
  if (event.service !== 'reporting' || event.type !== 'ReportRunFailed') return false;
  assertCataloguedVersion(event);
  return true;
}

/**
 * Notifies each failed report run (durable consumer 'reporting-notifications-reports' of
 * lm.events.reporting.ReportRunFailed), to the topic of the generator's account.
 */
@Injectable()
export class ReportFailuresConsumer implements EventConsumer {
  constructor(
    @Inject(ACCOUNT_TOPICS) private readonly topics: AccountTopics,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
  ) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isRunFailed(event)) return;
    const failure = event.data;
    const generator = await (trx as Transaction<ReportGeneratorViews>)
      .withSchema(REPORTING_SCHEMA)
      .selectFrom('report_generators')
      .select(['account_id', 'region', 'state'])
      .where('arn', '=', failure.arn)
      .executeTakeFirst();
    // Deleted since: nobody is waiting for its reports any more.
    if (!generator) return;
    const owner = { accountId: generator.account_id, region: generator.region };
    const topicArn = await this.topics.topicOf(owner);
    if (!topicArn) return;
    await this.outbox.publish(
      reportRunFailed(
        { ...owner, topicArn },
        {
          eventId: event.eventId,
          reportGeneratorArn: failure.arn,
          reportGeneratorName: generator.state.definition.name,
          runId: failure.runId,
          reason: failure.reason,
          failedAt: new Date(failure.failedAt),
          nextRunAt: failure.nextRunAt,
        },
        this.clock.now(),
      ),
      trx,
    );
  }
}
