import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { alarmAsRead, type MetricAlarmState } from '../domain/alarm';
import { alarmDecider } from '../domain/decide';
import { evaluate, type PeriodValue } from '../domain/evaluation';
import { periodStatistics } from '../../usage-metrics/application/metric-series';
import type { UsageMetricsViews } from '../../usage-metrics/application/usage-metrics.views';
import { statisticValue } from '../../usage-metrics/domain/statistics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AlarmViews } from './alarm.views';

/** CloudWatch keeps alarm history for 30 days. */
export const ALARM_HISTORY_RETENTION_MS = 30 * 86_400_000;

/** Alarms per batch read, so that a large number of alarms is never held at once. */
const BATCH = 200;

/**
 * Evaluates every alarm on its metric's data points (the usage metrics of its account), as
 * CloudWatch does each minute: the last EvaluationPeriods periods, the newest being the one in
 * progress, periods aligned to the minute. A changed state is recorded by appending at the version
 * read (see RecordEvaluation), so that replicas sweeping at once record and notify it once.
 */
@Injectable()
export class AlarmEvaluationSweep implements Sweep {
  private readonly logger = new Logger('AlarmEvaluationSweep');
  private readonly db: Kysely<AlarmViews>;
  /** The usage metrics' data points, read through their own query (periodStatistics takes the unscoped database). */
  private readonly metricsDb: Kysely<UsageMetricsViews>;

  constructor(
    @Inject(DATABASE) rootDb: Kysely<any>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = (rootDb as Kysely<AlarmViews>).withSchema(REPORTING_SCHEMA);
    this.metricsDb = rootDb as Kysely<UsageMetricsViews>;
  }

  /** The number of alarms whose state this sweep changed. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    await this.db
      .deleteFrom('alarm_history')
      .where('timestamp', '<', new Date(now.getTime() - ALARM_HISTORY_RETENTION_MS))
      .execute();
    let changed = 0;
    let after: string | undefined;
    for (;;) {
      let query = this.db.selectFrom('alarms').select(['stream_name', 'state']).orderBy('stream_name').limit(BATCH);
      if (after !== undefined) query = query.where('stream_name', '>', after);
      const rows = await query.execute();
      for (const row of rows) {
        try {
          if (await this.evaluateOne(row.stream_name, alarmAsRead(row.state), now)) changed++;
        } catch (error) {
          this.logger.warn(`alarm ${row.state.arn} not evaluated: ${(error as Error).message}`);
        }
      }
      if (rows.length < BATCH) return changed;
      after = rows[rows.length - 1].stream_name;
    }
  }

  private async evaluateOne(stream: string, alarm: MetricAlarmState, now: Date): Promise<boolean> {
    const evaluation = evaluate(alarm.definition, await this.periodsOf(alarm, now), alarm.stateValue, now);
    if (!evaluation || evaluation.state === alarm.stateValue) return false;
    const { newEvents } = await handleCommand(this.store, stream, alarmDecider, {
      type: 'RecordEvaluation',
      accountId: alarm.accountId,
      region: alarm.region,
      alarmName: alarm.alarmName,
      now,
      evaluation,
      evaluatedWith: alarm.definition,
    });
    return newEvents.length > 0;
  }

  /** The alarm's last EvaluationPeriods periods, oldest first, each with its statistic or without data. */
  private async periodsOf(alarm: MetricAlarmState, now: Date): Promise<PeriodValue[]> {
    const d = alarm.definition;
    const periodMs = d.period * 1000;
    const current = Math.floor(now.getTime() / 60_000) * 60_000;
    const start = new Date(current - (d.evaluationPeriods - 1) * periodMs);
    const sets = await periodStatistics(this.metricsDb, {
      accountId: alarm.accountId,
      namespace: d.namespace,
      metricName: d.metricName,
      dimensions: d.dimensions,
      start,
      end: new Date(now.getTime() + 1),
      period: d.period,
      unit: d.unit,
    });
    const byStart = new Map(sets.map((set) => [set.timestamp.getTime(), set]));
    return Array.from({ length: d.evaluationPeriods }, (_, index) => {
      const timestamp = new Date(start.getTime() + index * periodMs);
      const set = byStart.get(timestamp.getTime());
      return set ? { timestamp, value: statisticValue(set, d.statistic), sampleCount: set.sampleCount } : { timestamp };
    });
  }
}
