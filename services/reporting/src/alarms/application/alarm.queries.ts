import { Inject, Injectable } from '@nestjs/common';
import type { Monitoring } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, REGION } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { alarmAsRead, metricAlarmOf } from '../domain/alarm';
import { invalidRequest } from '../domain/errors';
import { dimensionsKey } from '../../usage-metrics/domain/usage-metrics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AlarmViews } from './alarm.views';

const ALARMS_PAGE = { defaultSize: 50, maxSize: 100, invalidTokenError: 'InvalidNextToken' };
const HISTORY_PAGE = { defaultSize: 100, maxSize: 100, invalidTokenError: 'InvalidNextToken' };

/** Whether a request's AlarmTypes asks for metric alarms (all this deployment has): absent, it does. */
const wantsMetricAlarms = (types: readonly string[] | undefined) =>
  types === undefined || types.includes('MetricAlarm');

/** The alarm read operations, on the caller's own account's alarms in this Region only. */
@Injectable()
export class AlarmQueries {
  private readonly db: Kysely<AlarmViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<AlarmViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** In name order. There are no composite alarms here, so their lists, children and parents are empty. */
  async describeAlarms(
    caller: Caller,
    input: Monitoring.DescribeAlarmsInput,
  ): Promise<Monitoring.DescribeAlarmsOutput> {
    if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined)
      throw invalidRequest('AlarmNames and AlarmNamePrefix cannot be given together.');
    const page = pageOf<{ n: string }>(
      caller.accountId,
      { NextToken: input.NextToken, MaxResults: input.MaxRecords },
      ALARMS_PAGE,
    );
    const composites = input.ChildrenOfAlarmName !== undefined || input.ParentsOfAlarmName !== undefined;
    if (composites || !wantsMetricAlarms(input.AlarmTypes)) return { MetricAlarms: [], CompositeAlarms: [] };
    let query = this.db
      .selectFrom('alarms')
      .select(['alarm_name', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    if (input.AlarmNames !== undefined) {
      if (input.AlarmNames.length === 0) return { MetricAlarms: [], CompositeAlarms: [] };
      query = query.where('alarm_name', 'in', input.AlarmNames);
    }
    if (input.AlarmNamePrefix !== undefined)
      query = query.where(sql<boolean>`starts_with(alarm_name, ${input.AlarmNamePrefix})`);
    if (input.StateValue !== undefined) query = query.where('state_value', '=', input.StateValue);
    if (input.ActionPrefix !== undefined)
      query = query.where(
        sql<boolean>`exists (select 1 from jsonb_array_elements_text(actions) as action where starts_with(action, ${input.ActionPrefix}))`,
      );
    if (page.after) query = query.where('alarm_name', '>', page.after.n);
    const rows = await query
      .orderBy(sql`alarm_name collate "C"`)
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ n: row.alarm_name }));
    return {
      MetricAlarms: items.map((row) => metricAlarmOf(alarmAsRead(row.state))),
      CompositeAlarms: [],
      ...(NextToken ? { NextToken } : {}),
    };
  }

  /** The alarms on a metric: its namespace and name, and, when given, its exact dimensions, statistic, period and unit. */
  async describeAlarmsForMetric(
    caller: Caller,
    input: Monitoring.DescribeAlarmsForMetricInput,
  ): Promise<Monitoring.DescribeAlarmsForMetricOutput> {
    if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined)
      throw invalidRequest('Statistic and ExtendedStatistic cannot be given together.');
    let query = this.db
      .selectFrom('alarms')
      .select('state')
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region)
      .where('namespace', '=', input.Namespace)
      .where('metric_name', '=', input.MetricName);
    if (input.Dimensions !== undefined) query = query.where('dimensions_key', '=', dimensionsKey(input.Dimensions));
    // No alarm here is on a percentile.
    if (input.ExtendedStatistic !== undefined) return { MetricAlarms: [] };
    const rows = await query.orderBy(sql`alarm_name collate "C"`).execute();
    const alarms = rows
      .map((row) => alarmAsRead(row.state))
      .filter(
        ({ definition }) =>
          (input.Statistic === undefined || definition.statistic === input.Statistic) &&
          (input.Period === undefined || definition.period === input.Period) &&
          (input.Unit === undefined || definition.unit === input.Unit),
      );
    return { MetricAlarms: alarms.map(metricAlarmOf) };
  }

  /** Newest first unless ScanBy says otherwise; for one alarm or all; kept 30 days. */
  async describeAlarmHistory(
    caller: Caller,
    input: Monitoring.DescribeAlarmHistoryInput,
  ): Promise<Monitoring.DescribeAlarmHistoryOutput> {
    const page = pageOf<{ t: string; e: string }>(
      caller.accountId,
      { NextToken: input.NextToken, MaxResults: input.MaxRecords },
      HISTORY_PAGE,
    );
    const start = input.StartDate !== undefined ? new Date(input.StartDate * 1000) : undefined;
    const end = input.EndDate !== undefined ? new Date(input.EndDate * 1000) : undefined;
    if (start && end && start.getTime() > end.getTime())
      throw invalidRequest('The parameter StartDate must not be after the parameter EndDate.');
    // Contributors are the time series of multi-series (PromQL) alarms, which are not supported here.
    if (!wantsMetricAlarms(input.AlarmTypes) || input.AlarmContributorId !== undefined)
      return { AlarmHistoryItems: [] };
    const ascending = input.ScanBy === 'TimestampAscending';
    let query = this.db
      .selectFrom('alarm_history')
      .select(['event_id', 'alarm_name', 'item_type', 'timestamp', 'summary', 'data'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    if (input.AlarmName !== undefined) query = query.where('alarm_name', '=', input.AlarmName);
    if (input.HistoryItemType !== undefined) query = query.where('item_type', '=', input.HistoryItemType);
    if (start) query = query.where('timestamp', '>=', start);
    if (end) query = query.where('timestamp', '<=', end);
    if (page.after) {
      const after = sql<boolean>`(timestamp, event_id) ${sql.raw(ascending ? '>' : '<')} (${new Date(page.after.t)}, ${page.after.e})`;
      query = query.where(after);
    }
    const direction = ascending ? 'asc' : 'desc';
    const rows = await query
      .orderBy('timestamp', direction)
      .orderBy('event_id', direction)
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ t: row.timestamp.toISOString(), e: row.event_id }));
    return {
      AlarmHistoryItems: items.map((row) => ({
        AlarmName: row.alarm_name,
        AlarmType: 'MetricAlarm' as const,
        Timestamp: row.timestamp.getTime() / 1000,
        HistoryItemType: row.item_type as Monitoring.HistoryItemType,
        HistorySummary: row.summary,
        HistoryData: row.data,
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  }
}
