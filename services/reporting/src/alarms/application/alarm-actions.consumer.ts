import { Inject, Injectable } from '@nestjs/common';
import { assertCataloguedVersion, type DomainEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { alarmNotification } from '../domain/alarm-notification';
import type { AlarmEvent } from '../domain/events';
import { NotificationOutbox } from '../../notifications/application/notification-outbox';

type StateChangedMessage = DomainEventMessage<Extract<AlarmEvent, { type: 'AlarmStateChanged' }>['data']> & {
  type: 'AlarmStateChanged';
};

/** An alarm's change of state, its data at the version this build reads (another throws, to be redelivered). */
function isStateChanged(event: DomainEventMessage<object>): event is StateChangedMessage {
  if (event.service !== 'reporting' || event.type !== 'AlarmStateChanged') return false;
  assertCataloguedVersion(event);
  return true;
}

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
    if (!isStateChanged(event)) return;
    const change = event.data;
    for (const topicArn of change.actions)
      await this.outbox.publish(alarmNotification(change, topicArn, event.eventId, this.clock.now()), trx);
  }
}
