import { Module } from '@nestjs/common';
import { milliseconds, positiveInteger } from '@lm/service-kit';
import { AlarmActionsConsumer } from './application/alarm-actions.consumer';
import { AlarmEvaluationSweep } from './application/alarm-evaluation.sweep';
import { AlarmCommands } from './application/alarm.commands';
import { AlarmQueries } from './application/alarm.queries';
import { AlarmsController } from './infra/alarms.controller';
import { NotificationsModule } from '../notifications/notifications.module';

/** The alarms sub-context's settings, read with the service's when it starts. */
export const alarmsSettings = {
  /** LM_ALARM_EVALUATION_MS: how often every alarm is evaluated (CloudWatch: each minute). */
  alarmEvaluationMs: milliseconds('LM_ALARM_EVALUATION_MS', 60_000),
  /** LM_QUOTA_ALARMS: metric alarms per account and Region. */
  alarmQuota: positiveInteger('LM_QUOTA_ALARMS', 5_000),
};

/**
 * CloudWatch metric alarms on the usage metrics: PutMetricAlarm and the other alarm operations,
 * the evaluation schedule, and the actions (SNS notifications through the notifications outbox).
 */
@Module({
  imports: [NotificationsModule],
  controllers: [AlarmsController],
  providers: [AlarmCommands, AlarmQueries, AlarmEvaluationSweep, AlarmActionsConsumer],
})
export class AlarmsModule {}
