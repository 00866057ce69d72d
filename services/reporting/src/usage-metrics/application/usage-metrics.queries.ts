import { Inject, Injectable } from '@nestjs/common';
import type { Monitoring } from '@lm/api-model';
import { invalidParameterValue, type Caller } from '@lm/contracts';
import { CLOCK, DATABASE, pageOf, type Clock } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { asValidationError, invalidNextToken } from '../domain/errors';
import { linkedSourceAccounts, readsAccount } from '../domain/linked-accounts';
import { evaluateExpression, parseExpression, referencedIds, type Series } from '../domain/metric-math';
import {
  checkDatapointCount,
  checkPeriod,
  checkRequestedStatistics,
  checkTimeRange,
  isStatistic,
  statisticValue,
} from '../domain/statistics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { periodStatistics } from './metric-series';
import type { UsageMetricsViews } from './usage-metrics.views';

const LIST_PAGE = { defaultSize: 500, maxSize: 500, invalidTokenError: 'InvalidParameterValueException' };
const DATA_PAGE = { defaultSize: 100_800, maxSize: 100_800, invalidTokenError: 'InvalidNextToken' };
const THREE_HOURS_MS = 3 * 3_600_000;

const seconds = (value: number) => new Date(value * 1000);

/**
 * The CloudWatch read operations on the caller's own account's data points, and for a monitoring
 * account (an organization's management account) on its source accounts' too where CloudWatch
 * lets it: ListMetrics' IncludeLinkedAccounts, GetMetricData's AccountId (GetMetricStatistics
 * reads the caller's own account only, as in CloudWatch).
 */
@Injectable()
export class UsageMetricsQueries {
  private readonly db: Kysely<UsageMetricsViews>;

  constructor(
    @Inject(DATABASE) private readonly rootDb: Kysely<UsageMetricsViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = rootDb.withSchema(REPORTING_SCHEMA);
  }

  /**
   * The metrics with data, filtered by namespace, name and dimensions (a filter without a value
   * matches any value). IncludeLinkedAccounts adds the source accounts' metrics for a monitoring
   * account (an organization's management account), with OwningAccounts naming each one's account;
   * OwningAccount keeps one account's.
   */
  async listMetrics(caller: Caller, input: Monitoring.ListMetricsInput): Promise<Monitoring.ListMetricsOutput> {
    const page = pageOf<{ m: string; d: string; a?: string }>(
      caller.accountId,
      { NextToken: input.NextToken },
      LIST_PAGE,
    );
    const linked = input.IncludeLinkedAccounts === true;
    const accounts = [caller.accountId, ...(linked ? linkedSourceAccounts(caller) : [])].filter(
      (accountId) => input.OwningAccount === undefined || accountId === input.OwningAccount,
    );
    if (accounts.length === 0) return linked ? { Metrics: [], OwningAccounts: [] } : { Metrics: [] };
    let query = this.db
      .selectFrom('metric_points')
      .select(['account_id', 'namespace', 'metric_name', 'dimensions_key'])
      .select(sql<string>`min(dimensions::text)`.as('dimensions'))
      .where('account_id', 'in', accounts);
    if (input.Namespace !== undefined) query = query.where('namespace', '=', input.Namespace);
    if (input.MetricName !== undefined) query = query.where('metric_name', '=', input.MetricName);
    for (const filter of input.Dimensions ?? []) {
      const wanted = filter.Value === undefined ? { Name: filter.Name } : { Name: filter.Name, Value: filter.Value };
      query = query.where(sql<boolean>`dimensions @> ${JSON.stringify([wanted])}::jsonb`);
    }
    if (input.RecentlyActive !== undefined)
      query = query.where('timestamp', '>=', new Date(this.clock.now().getTime() - THREE_HOURS_MS));
    if (page.after)
      query = query.where(
        sql<boolean>`(metric_name, dimensions_key, account_id) > (${page.after.m}, ${page.after.d}, ${page.after.a ?? ''})`,
      );
    const rows = await query
      .groupBy(['account_id', 'namespace', 'metric_name', 'dimensions_key'])
      .orderBy('metric_name')
      .orderBy('dimensions_key')
      .orderBy('account_id')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({
      m: row.metric_name,
      d: row.dimensions_key,
      a: row.account_id,
    }));
    return {
      Metrics: items.map((row) => ({
        Namespace: row.namespace,
        MetricName: row.metric_name,
        Dimensions: JSON.parse(row.dimensions),
      })),
      ...(linked ? { OwningAccounts: items.map((row) => row.account_id) } : {}),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  async getMetricStatistics(
    caller: Caller,
    input: Monitoring.GetMetricStatisticsInput,
  ): Promise<Monitoring.GetMetricStatisticsOutput> {
    const statistics = checkRequestedStatistics(input.Statistics, input.ExtendedStatistics);
    const start = seconds(input.StartTime);
    const end = seconds(input.EndTime);
    checkPeriod(input.Period);
    checkTimeRange(start, end);
    checkDatapointCount(start, end, input.Period);
    const periods = await periodStatistics(this.rootDb, {
      accountId: caller.accountId,
      namespace: input.Namespace,
      metricName: input.MetricName,
      dimensions: input.Dimensions ?? [],
      start,
      end,
      period: input.Period,
      unit: input.Unit,
    });
    return {
      Label: input.MetricName,
      Datapoints: periods.map((set) => ({
        Timestamp: set.timestamp.getTime() / 1000,
        Unit: set.unit as Monitoring.StandardUnit,
        ...Object.fromEntries(statistics.map((statistic) => [statistic, statisticValue(set, statistic)])),
      })),
    };
  }

  /**
   * Each query's series (a metric's statistic per period, or metric math on other queries), the
   * ones with ReturnData, newest first unless ScanBy says otherwise; MaxDatapoints values per
   * page, NextToken for the rest.
   */
  async getMetricData(caller: Caller, input: Monitoring.GetMetricDataInput): Promise<Monitoring.GetMetricDataOutput> {
    try {
      return await this.metricData(caller, input);
    } catch (error) {
      throw asValidationError(error);
    }
  }

  private async metricData(
    caller: Caller,
    input: Monitoring.GetMetricDataInput,
  ): Promise<Monitoring.GetMetricDataOutput> {
    const start = seconds(input.StartTime);
    const end = seconds(input.EndTime);
    checkTimeRange(start, end);
    const queries = new Map(input.MetricDataQueries.map((query) => [query.Id, query]));
    if (queries.size !== input.MetricDataQueries.length)
      throw invalidParameterValue('The Id of each MetricDataQuery must be unique.');
    const returned = input.MetricDataQueries.filter((query) => query.ReturnData !== false);
    if (returned.length === 0) throw invalidParameterValue('At least one MetricDataQuery must have ReturnData true.');
    for (const query of input.MetricDataQueries) checkQuery(query);

    const series = new Map<string, Series>();
    const evaluating = new Set<string>();
    const seriesOf = async (id: string): Promise<Series> => {
      const known = series.get(id);
      if (known) return known;
      const query = queries.get(id);
      if (!query) throw invalidParameterValue(`The expression references ${id}, which is no MetricDataQuery's Id.`);
      if (evaluating.has(id)) throw invalidParameterValue(`The expression of ${id} depends on itself.`);
      evaluating.add(id);
      // A monitoring account reads a source account's metric by its AccountId; any other account's reads as no data.
      const accountId = query.AccountId ?? caller.accountId;
      const result = query.MetricStat
        ? readsAccount(caller, accountId)
          ? await this.statSeries(accountId, query.MetricStat, start, end)
          : new Map<number, number>()
        : await this.expressionSeries(query.Expression!, seriesOf);
      evaluating.delete(id);
      series.set(id, result);
      return result;
    };
    const ascending = input.ScanBy === 'TimestampAscending';
    const results = [];
    for (const query of returned) {
      const points = [...(await seriesOf(query.Id)).entries()].sort((a, b) => (ascending ? a[0] - b[0] : b[0] - a[0]));
      results.push({ query, points });
    }
    return paginate(caller.accountId, input, results);
  }

  private async statSeries(accountId: string, stat: Monitoring.MetricStat, start: Date, end: Date): Promise<Series> {
    const periods = await periodStatistics(this.rootDb, {
      accountId,
      namespace: stat.Metric.Namespace ?? '',
      metricName: stat.Metric.MetricName ?? '',
      dimensions: stat.Metric.Dimensions ?? [],
      start,
      end,
      period: stat.Period,
      unit: stat.Unit,
    });
    const statistic = stat.Stat as Parameters<typeof statisticValue>[1];
    return new Map(periods.map((set) => [set.timestamp.getTime(), statisticValue(set, statistic)]));
  }

  private async expressionSeries(expression: string, seriesOf: (id: string) => Promise<Series>): Promise<Series> {
    const node = parseExpression(expression);
    const inputs = new Map<string, Series>();
    for (const id of referencedIds(node)) inputs.set(id, await seriesOf(id));
    return evaluateExpression(node, (id) => inputs.get(id)!);
  }
}

function checkQuery(query: Monitoring.MetricDataQuery): void {
  if ((query.MetricStat === undefined) === (query.Expression === undefined))
    throw invalidParameterValue(`The MetricDataQuery ${query.Id} must have exactly one of MetricStat and Expression.`);
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(query.Id))
    throw invalidParameterValue(
      `The Id ${query.Id} is not valid: it must start with a lowercase letter and hold only letters, digits and underscores.`,
    );
  if (query.MetricStat) {
    checkPeriod(query.MetricStat.Period, `MetricStat.Period of ${query.Id}`);
    if (!isStatistic(query.MetricStat.Stat))
      throw invalidParameterValue(
        `The Stat ${query.MetricStat.Stat} of ${query.Id} is not one of Average, Sum, Minimum, Maximum, SampleCount.`,
      );
    if (!query.MetricStat.Metric.Namespace || !query.MetricStat.Metric.MetricName)
      throw invalidParameterValue(`The Metric of ${query.Id} must name its Namespace and MetricName.`);
  } else {
    parseExpression(query.Expression!);
  }
}

/**
 * Pages through the results' values in order (result by result): a page holds MaxDatapoints
 * values; a result cut short says PartialData, and NextToken resumes after the last value given.
 */
function paginate(
  accountId: string,
  input: Monitoring.GetMetricDataInput,
  results: Array<{ query: Monitoring.MetricDataQuery; points: Array<[number, number]> }>,
): Monitoring.GetMetricDataOutput {
  const page = pageOf<{ o: number }>(
    accountId,
    { NextToken: input.NextToken, MaxResults: input.MaxDatapoints },
    DATA_PAGE,
  );
  const offset = page.after?.o ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalidNextToken('The NextToken is not valid.');
  const all = results.flatMap(({ query, points }) => points.map((point) => ({ id: query.Id, point })));
  const { items, NextToken } = page.cut(
    all.slice(offset, offset + page.limit + 1).map((item, index) => ({ ...item, index: offset + index })),
    (item) => ({ o: item.index + 1 }),
  );
  const MetricDataResults = results.map(({ query, points }) => {
    const mine = items.filter((item) => item.id === query.Id).map((item) => item.point);
    const complete =
      mine.length === points.length || !all.slice(offset + items.length).some((item) => item.id === query.Id);
    return {
      Id: query.Id,
      Label: query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id,
      Timestamps: mine.map(([t]) => t / 1000),
      Values: mine.map(([, v]) => v),
      StatusCode: (complete ? 'Complete' : 'PartialData') as Monitoring.StatusCode,
    };
  });
  return { MetricDataResults, Messages: [], ...(NextToken ? { NextToken } : {}) };
}
