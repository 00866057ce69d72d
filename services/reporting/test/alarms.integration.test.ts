import type { Monitoring } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmEvaluationSweep } from '../src/alarms/application/alarm-evaluation.sweep';
import { AlarmCommands } from '../src/alarms/application/alarm.commands';
import { AlarmQueries } from '../src/alarms/application/alarm.queries';
import { ReportingService } from '../src/reporting.service';
import { dimensionsKey } from '../src/usage-metrics/domain/usage-metrics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const REGION = 'us-east-1';
const owner = { accountId: '111111111111' } as Caller;
const other = { accountId: '222222222222' } as Caller;
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:alarms';
const t0 = new Date('2026-03-01T10:00:05Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const dimensions = [
  {
    Name: 'LicenseConfigurationArn',
    Value: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
  },
];

describe('alarms, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(t0);
  let commands: AlarmCommands;
  let queries: AlarmQueries;
  let sweep: AlarmEvaluationSweep;

  /** One usage data point of the owner's configuration at `time`. */
  const point = (time: Date, value: number, accountId = owner.accountId) =>
    storage.db
      .withSchema('reporting')
      .insertInto('metric_points')
      .values({
        account_id: accountId,
        namespace: 'AWSLicenseManager/licenseUsage',
        metric_name: 'LicenseConfigurationUsagePercentage',
        dimensions: JSON.stringify(dimensions),
        dimensions_key: dimensionsKey(dimensions),
        unit: 'Percent',
        timestamp: time,
        resolution: 60,
        sample_count: 1,
        sum: value,
        minimum: value,
        maximum: value,
        source: `test:${accountId}:${time.toISOString()}`,
      })
      .execute();
  const put = (name: string, overrides: Partial<Monitoring.PutMetricAlarmInput> = {}) =>
    commands.put(owner, {
      AlarmName: name,
      Namespace: 'AWSLicenseManager/licenseUsage',
      MetricName: 'LicenseConfigurationUsagePercentage',
      Dimensions: dimensions,
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [TOPIC],
      ...overrides,
    });
  const stateOf = async (name: string, caller = owner) =>
    (await queries.describeAlarms(caller, { AlarmNames: [name] })).MetricAlarms?.[0]?.StateValue;
  const evaluateAt = async (time: Date) => {
    clock.set(time);
    return sweep.sweep();
  };

  beforeAll(async () => {
    database = await createTestDatabase('lm_alarms');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url, LM_QUOTA_ALARMS: '4' });
    commands = new AlarmCommands(storage.store, storage.db, clock, REGION);
    queries = new AlarmQueries(storage.db, REGION);
    sweep = new AlarmEvaluationSweep(storage.db, storage.store, clock);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('goes to ALARM on 2 of 3 breaching minutes, and to OK when they leave the range', async () => {
    await put('two-of-three');
    await point(at(0), 90);
    await evaluateAt(at(0.5));
    // One breaching minute of three, the others missing: fewer than 2 present, all breaching.
    expect(await stateOf('two-of-three')).toBe('ALARM');
    await point(at(1), 10);
    await evaluateAt(at(1.5));
    // 90, 10: two present, one breaching: OK.
    expect(await stateOf('two-of-three')).toBe('OK');
    await point(at(2), 95);
    await evaluateAt(at(2.5));
    expect(await stateOf('two-of-three')).toBe('ALARM');
    // Nothing since: at minute 5 the range holds no data (missing): INSUFFICIENT_DATA.
    await evaluateAt(at(5.5));
    expect(await stateOf('two-of-three')).toBe('INSUFFICIENT_DATA');
  });

  it('records one change when replicas evaluate at once, and SetAlarmState until the next evaluation', async () => {
    await point(at(10), 99);
    clock.set(at(10.5));
    const changed = await Promise.all([sweep.sweep(), sweep.sweep(), sweep.sweep()]);
    expect(changed.reduce((a, b) => a + b, 0)).toBe(1);
    const history = await queries.describeAlarmHistory(owner, {
      AlarmName: 'two-of-three',
      HistoryItemType: 'StateUpdate',
    });
    expect(history.AlarmHistoryItems?.[0].HistorySummary).toBe('Alarm updated from INSUFFICIENT_DATA to ALARM');
    await commands.setState(owner, { AlarmName: 'two-of-three', StateValue: 'OK', StateReason: 'testing' });
    expect(await stateOf('two-of-three')).toBe('OK');
    await evaluateAt(at(10.7));
    expect(await stateOf('two-of-three')).toBe('ALARM');
  });

  it('pages through history both ways, and shows another account nothing', async () => {
    const all = await queries.describeAlarmHistory(owner, { AlarmName: 'two-of-three', ScanBy: 'TimestampAscending' });
    const items = all.AlarmHistoryItems!;
    expect(items.length).toBeGreaterThan(4);
    for (const ScanBy of ['TimestampAscending', 'TimestampDescending'] as const) {
      const seen: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await queries.describeAlarmHistory(owner, {
          AlarmName: 'two-of-three',
          ScanBy,
          MaxRecords: 2,
          NextToken,
        });
        seen.push(...page.AlarmHistoryItems!.map((i) => `${i.Timestamp} ${i.HistorySummary}`));
        NextToken = page.NextToken;
      } while (NextToken);
      const expected = items.map((i) => `${i.Timestamp} ${i.HistorySummary}`);
      expect(seen).toEqual(ScanBy === 'TimestampAscending' ? expected : [...expected].reverse());
    }
    expect((await queries.describeAlarmHistory(other, {})).AlarmHistoryItems).toEqual([]);
    expect((await queries.describeAlarms(other, {})).MetricAlarms).toEqual([]);
    await expect(commands.delete(other, { AlarmNames: ['two-of-three'] })).rejects.toMatchObject({
      code: 'ResourceNotFound',
    });
  });

  it('pages alarms by name, filters by prefix, state and action, and holds the quota', async () => {
    for (const name of ['b-1', 'b-2', 'c-1']) await put(name, { AlarmActions: name === 'c-1' ? [] : [TOPIC] });
    await expect(put('over-quota')).rejects.toMatchObject({ code: 'LimitExceededFault' });
    const first = await queries.describeAlarms(owner, { MaxRecords: 2 });
    const second = await queries.describeAlarms(owner, { MaxRecords: 2, NextToken: first.NextToken });
    expect([...first.MetricAlarms!, ...second.MetricAlarms!].map((a) => a.AlarmName)).toEqual([
      'b-1',
      'b-2',
      'c-1',
      'two-of-three',
    ]);
    expect(
      (await queries.describeAlarms(owner, { AlarmNamePrefix: 'b-' })).MetricAlarms!.map((a) => a.AlarmName),
    ).toEqual(['b-1', 'b-2']);
    // c-1 has no action: only the others have one starting with the prefix.
    expect(
      (
        await queries.describeAlarms(owner, { ActionPrefix: 'arn:aws:sns:us-east-1:111111111111:al' })
      ).MetricAlarms!.map((a) => a.AlarmName),
    ).toEqual(['b-1', 'b-2', 'two-of-three']);
    expect(
      (await queries.describeAlarms(owner, { StateValue: 'ALARM' })).MetricAlarms!.map((a) => a.AlarmName),
    ).toEqual(['two-of-three']);
    await commands.delete(owner, { AlarmNames: ['b-1'] });
    await put('after-delete');
  });
});
