import { Inject, Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { alarmNotification } from '../domain/alarm-notification';
import type { AlarmEvent } from '../domain/events';
import { NotificationOutbox } from '../../notifications/application/notification-outbox';

type StateChanged = Extract<AlarmEvent, { type: 'AlarmStateChanged' }>['data'];

/**
 * Takes an alarm's actions on each change of its state (durable consumer 'reporting-alarm-actions'
 * of lm.events.reporting.AlarmStateChanged): publishes CloudWatch's alarm notification to each SNS
 * topic of the new state's actions, in the consumer's transaction, so that each change is
 * published once whatever is redelivered.
 */
@Injectable()
export class AlarmActionsConsumer implements EventConsumer {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
  ) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (event.service !== 'reporting' || event.type !== 'AlarmStateChanged') return;
    const change = event.data as unknown as StateChanged;
    for (const topicArn of change.actions)
      await this.outbox.publish(alarmNotification(change, topicArn, event.eventId, this.clock.now()), trx);
  }
}
