import type { Monitoring } from '@lm/api-model';
import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { AlarmCommand } from '../src/alarms/domain/commands';
import { alarmDecider } from '../src/alarms/domain/decide';
import { alarmAsRead, evolveAlarm, initialAlarmState, type MetricAlarmState } from '../src/alarms/domain/alarm';
import { definitionOf, type AlarmDefinition } from '../src/alarms/domain/definition';
import { historyItemOf } from '../src/alarms/domain/history';
import { evaluate, type PeriodValue } from '../src/alarms/domain/evaluation';
import { alarmNotification } from '../src/alarms/domain/alarm-notification';

const region = 'us-east-1';
const target = { accountId: '111111111111', region, alarmName: 'usage-high' };
const topic = 'arn:aws:sns:us-east-1:111111111111:alarms';
const t0 = new Date('2026-03-01T10:00:30Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const input = (overrides: Partial<Monitoring.PutMetricAlarmInput> = {}): Monitoring.PutMetricAlarmInput => ({
  AlarmName: 'usage-high',
  Namespace: 'AWSLicenseManager/licenseUsage',
  MetricName: 'LicenseConfigurationUsagePercentage',
  Dimensions: [
    {
      Name: 'LicenseConfigurationArn',
      Value: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
    },
  ],
  Statistic: 'Maximum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 80,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  AlarmActions: [topic],
  OKActions: [topic],
  ...overrides,
});
const definition = (overrides: Partial<Monitoring.PutMetricAlarmInput> = {}) => definitionOf(input(overrides), region);

/** Periods from a picture, oldest first: X breaching (90), 0 not breaching (10), - missing. */
const periods = (picture: string): PeriodValue[] =>
  [...picture.replace(/ /g, '')].map((c, i) => ({
    timestamp: later(i),
    ...(c === '-' ? {} : { value: c === 'X' ? 90 : 10, sampleCount: 1 }),
  }));

const stateOf = (d: AlarmDefinition, picture: string, current: Monitoring.StateValue = 'OK') =>
  evaluate(d, periods(picture), current, t0)?.state ?? 'kept';

describe('PutMetricAlarm definitions (CloudWatch rules)', () => {
  it('defaults DatapointsToAlarm to EvaluationPeriods, TreatMissingData to missing, actions on', () => {
    expect(definition({ EvaluationPeriods: 3 })).toMatchObject({
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
      actionsEnabled: true,
    });
  });

  it.each([
    ['Period not a multiple of 60', { Period: 30 }, 'ValidationException', /multiple of 60/],
    [
      'DatapointsToAlarm over EvaluationPeriods',
      { EvaluationPeriods: 2, DatapointsToAlarm: 3 },
      'ValidationException',
      /DatapointsToAlarm/,
    ],
    ['an evaluation range over a day', { Period: 3600, EvaluationPeriods: 25 }, 'ValidationException', /one day/],
    ['an unknown TreatMissingData', { TreatMissingData: 'sometimes' }, 'ValidationException', /TreatMissingData/],
    ['Statistic and ExtendedStatistic', { ExtendedStatistic: 'p90' }, 'ValidationException', /Exactly one/],
    ['a percentile', { Statistic: undefined, ExtendedStatistic: 'p90' }, 'ValidationException', /percentiles/],
    ['no statistic', { Statistic: undefined }, 'ValidationException', /Statistic/],
    ['no Threshold', { Threshold: undefined }, 'ValidationException', /Threshold/],
    ['no MetricName', { MetricName: undefined }, 'ValidationException', /MetricName/],
    [
      'an anomaly detection operator',
      { ComparisonOperator: 'GreaterThanUpperThreshold' as const },
      'ValidationException',
      /anomaly/,
    ],
    [
      'an action that is not an SNS topic',
      { AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] },
      'ValidationException',
      /SNS topic/,
    ],
    [
      'a topic of another Region',
      { OKActions: ['arn:aws:sns:eu-west-1:111111111111:alarms'] },
      'ValidationException',
      /Region/,
    ],
    ['a control character in the name', { AlarmName: 'bad\nname' }, 'ValidationException', /control/],
    [
      'two dimensions of one name',
      {
        Dimensions: [
          { Name: 'a', Value: '1' },
          { Name: 'a', Value: '2' },
        ],
      },
      'ValidationException',
      /distinct/,
    ],
  ])('refuses %s', (_what, overrides, code, message) => {
    expect(() => definition(overrides)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});

describe("evaluation: M of N, and CloudWatch's table of missing data treatments (3 of 5)", () => {
  // CloudWatch's "Configuring how CloudWatch alarms treat missing data" table.
  const threeOfFive = (treatMissingData: string) =>
    definition({ EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: treatMissingData });
  it.each([
    ['0 0 X 0 X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - X - X', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - X - X', 'ALARM', 'ALARM', 'ALARM', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'kept', 'ALARM', 'OK'],
    ['X X X 0 0', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ])(
    '%s: missing %s, ignore %s, breaching %s, notBreaching %s',
    (picture, missing, ignore, breaching, notBreaching) => {
      expect(stateOf(threeOfFive('missing'), picture)).toBe(missing);
      expect(stateOf(threeOfFive('ignore'), picture)).toBe(ignore);
      expect(stateOf(threeOfFive('breaching'), picture)).toBe(breaching);
      expect(stateOf(threeOfFive('notBreaching'), picture)).toBe(notBreaching);
    },
  );

  it('compares with each operator, at the threshold', () => {
    const at = (op: Monitoring.ComparisonOperator) =>
      evaluate(definition({ ComparisonOperator: op, Threshold: 90 }), periods('X'), 'OK', t0)!.state;
    expect(at('GreaterThanOrEqualToThreshold')).toBe('ALARM');
    expect(at('GreaterThanThreshold')).toBe('OK');
    expect(at('LessThanOrEqualToThreshold')).toBe('ALARM');
    expect(at('LessThanThreshold')).toBe('OK');
  });

  it("tells CloudWatch's reasons", () => {
    const alarm = evaluate(
      definition(),
      [{ timestamp: new Date('2026-03-01T10:00:00Z'), value: 100, sampleCount: 1 }],
      'OK',
      t0,
    )!;
    expect(alarm.reason).toBe(
      'Threshold Crossed: 1 datapoint [100.0 (01/03/26 10:00:00)] was greater than or equal to the threshold (80.0).',
    );
    expect(JSON.parse(alarm.reasonData)).toMatchObject({
      version: '1.0',
      statistic: 'Maximum',
      period: 60,
      threshold: 80,
      recentDatapoints: [100],
      evaluatedDatapoints: [{ timestamp: '2026-03-01T10:00:00.000+0000', sampleCount: 1, value: 100 }],
    });
    const ok = evaluate(definition({ EvaluationPeriods: 3, DatapointsToAlarm: 2 }), periods('X 0 0'), 'ALARM', t0)!;
    expect(ok.reason).toMatch(
      /^Threshold Crossed: 2 out of the last 3 datapoints \[10\.0 .*, 10\.0 .*\] were not greater than or equal to the threshold \(80\.0\) \(minimum 2 datapoints for ALARM -> OK transition\)\.$/,
    );
    expect(evaluate(definition(), periods('-'), 'OK', t0)!.reason).toBe('Insufficient Data: 1 datapoint was unknown.');
  });
});

describe('the alarm aggregate', () => {
  const { given, history } = DeciderSpecification.for(alarmDecider);
  const put = (overrides: Partial<Monitoring.PutMetricAlarmInput> = {}, now = t0): AlarmCommand => ({
    type: 'PutMetricAlarm',
    ...target,
    now,
    definition: definition(overrides),
  });
  const evaluated = (picture: string, now: Date, d = definition()): AlarmCommand => ({
    type: 'RecordEvaluation',
    ...target,
    now,
    evaluation: evaluate(d, periods(picture), 'OK', now)!,
    evaluatedWith: d,
  });
  const changes = (events: ReturnType<typeof history>) => events.filter((e) => e.type === 'AlarmStateChanged');

  it('starts in INSUFFICIENT_DATA, and an update keeps the state', () => {
    const events = history(put(), evaluated('X', later(1)), put({ Threshold: 95 }, later(2)));
    const state = given(events).state;
    expect(state.status === 'present' && state.alarm.stateValue).toBe('ALARM');
    expect(state.status === 'present' && state.alarm.definition.threshold).toBe(95);
    expect(events[0]).toMatchObject({ type: 'AlarmConfigured', data: { created: true } });
    expect(events[2]).toMatchObject({ type: 'AlarmConfigured', data: { created: false } });
  });

  it('takes actions only on a change of state, those of the new state', () => {
    const events = history(put(), evaluated('X', later(1)), evaluated('X', later(2)), evaluated('0', later(3)));
    expect(
      changes(events).map((e) => e.type === 'AlarmStateChanged' && [e.data.oldState, e.data.newState, e.data.actions]),
    ).toEqual([
      ['INSUFFICIENT_DATA', 'ALARM', [topic]],
      ['ALARM', 'OK', [topic]],
    ]);
  });

  it('records a change with no actions while actions are disabled, and with them once enabled again', () => {
    const off: AlarmCommand = { type: 'DisableAlarmActions', ...target, now: later(1) };
    const on: AlarmCommand = { type: 'EnableAlarmActions', ...target, now: later(3) };
    const events = history(put(), off, evaluated('X', later(2)), on, evaluated('0', later(4)));
    expect(changes(events).map((e) => e.type === 'AlarmStateChanged' && e.data.actions)).toEqual([[], [topic]]);
    given(history(put(), off)).when(off).then([]);
  });

  it('SetAlarmState sets a state the next evaluation corrects', () => {
    const set: AlarmCommand = {
      type: 'SetAlarmState',
      ...target,
      now: later(1),
      stateValue: 'ALARM',
      reason: 'testing the actions',
    };
    const afterSet = history(put(), evaluated('0', later(0.5)), set);
    expect(changes(afterSet).at(-1)).toMatchObject({
      data: { newState: 'ALARM', cause: 'SetAlarmState', actions: [topic] },
    });
    given(afterSet)
      .when(evaluated('0', later(2)))
      .then((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'AlarmStateChanged',
            data: expect.objectContaining({ oldState: 'ALARM', newState: 'OK', cause: 'evaluation' }),
          }),
        ]),
      );
  });

  it('records an evaluation once: a second replica deciding on the changed state decides nothing', () => {
    const first = history(put(), evaluated('X', later(1)));
    given(first)
      .when(evaluated('X', later(1)))
      .then([]);
  });

  it('drops an evaluation made with a configuration replaced since', () => {
    const stale = evaluated('X', later(2), definition({ Threshold: 50 }));
    given(history(put())).when(stale).then([]);
  });

  it('does not find a deleted alarm, nor one never created', () => {
    const del: AlarmCommand = { type: 'DeleteAlarm', ...target, now: later(1) };
    given(history(put(), del)).when(del).thenThrows({ code: 'ResourceNotFound' });
    given([])
      .when({ type: 'SetAlarmState', ...target, now: t0, stateValue: 'OK', reason: 'x' })
      .thenThrows({ code: 'ResourceNotFound' });
  });

  it("notifies in CloudWatch's alarm notification document", () => {
    const [change] = changes(history(put({ AlarmDescription: 'usage over 80%' }), evaluated('X', later(1))));
    if (change.type !== 'AlarmStateChanged') throw new Error('no change');
    const notification = alarmNotification(change.data, topic, 'event-1', later(1));
    expect(notification.subject).toBe('ALARM: "usage-high" in us-east-1');
    expect(notification.message).toMatchObject({
      AlarmName: 'usage-high',
      AlarmDescription: 'usage over 80%',
      AWSAccountId: '111111111111',
      NewStateValue: 'ALARM',
      OldStateValue: 'INSUFFICIENT_DATA',
      Region: 'us-east-1',
      Trigger: {
        MetricName: 'LicenseConfigurationUsagePercentage',
        Namespace: 'AWSLicenseManager/licenseUsage',
        Statistic: 'MAXIMUM',
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 80,
      },
    });
  });
});

describe('a threshold that crossed a hop as integer digits (found by the model-driven fuzzer)', () => {
  // JSON writes 1e20 as 100000000000000000000 and jsonb writes 1e300 as 301 digits: the exact JSON reader makes them bigints.
  const identity = { ...target, arn: `arn:aws:cloudwatch:${region}:111111111111:alarm:usage-high` };
  const asRead = (threshold: bigint) => ({ ...definition(), threshold }) as unknown as AlarmDefinition;

  it('is taken as the double it is by PutMetricAlarm, not refused as not finite', () => {
    expect(definition({ Threshold: (10n ** 20n) as unknown as number }).threshold).toBe(1e20);
  });

  it('is a double in the alarm and its history item, which answered 500 on a bigint', () => {
    const configured = {
      type: 'AlarmConfigured' as const,
      data: { ...identity, definition: asRead(10n ** 300n), created: true, at: t0.toISOString() },
    };
    const after = evolveAlarm(initialAlarmState(), configured);
    expect(after.status === 'present' && after.alarm.definition.threshold).toBe(1e300);
    const item = historyItemOf(configured, undefined, after.status === 'present' ? after.alarm : undefined);
    expect(JSON.parse(item.data).updatedAlarm.Threshold).toBe(1e300);
  });

  it('is a double in an alarm read back from the alarms view (DisableAlarmActions and DeleteAlarms answered 500 on it)', () => {
    const configured = {
      type: 'AlarmConfigured' as const,
      data: { ...identity, definition: definition(), created: true, at: t0.toISOString() },
    };
    const stored = evolveAlarm(initialAlarmState(), configured);
    if (stored.status !== 'present') throw new Error('no alarm');
    const fromView = { ...stored.alarm, definition: asRead(10n ** 300n) } as MetricAlarmState;
    const deleted = { type: 'AlarmDeleted' as const, data: { ...identity, at: t0.toISOString() } };
    const item = historyItemOf(deleted, alarmAsRead(fromView), undefined);
    expect(JSON.parse(item.data).originalAlarm.Threshold).toBe(1e300);
  });
});
