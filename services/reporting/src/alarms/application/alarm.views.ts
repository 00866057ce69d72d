import type { ColumnType } from 'kysely';
import type { MetricAlarmState } from '../domain/alarm';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** Each live alarm, its state folded with the decider's own evolve; the columns are what lists filter on. */
export interface AlarmsTable {
  account_id: string;
  region: string;
  alarm_name: string;
  stream_name: string;
  namespace: string;
  metric_name: string;
  dimensions_key: string;
  state_value: string;
  /** Every action ARN of the alarm (ActionPrefix filters on them). */
  actions: Json<string[]>;
  stream_version: number;
  state: Json<MetricAlarmState>;
}

/** DescribeAlarmHistory's items, one per event (kept 30 days, as CloudWatch keeps them). */
export interface AlarmHistoryTable {
  event_id: string;
  account_id: string;
  region: string;
  alarm_name: string;
  item_type: string;
  timestamp: Timestamp;
  summary: string;
  data: string;
}

export interface AlarmCountsTable {
  account_id: string;
  region: string;
  count: number;
}

export interface AlarmViews {
  alarms: AlarmsTable;
  alarm_history: AlarmHistoryTable;
  alarm_counts: AlarmCountsTable;
}
