import { AwsError, type LicenseConfigurationEvent, type LicenseConfigurationEventType } from '@lm/contracts';
import { describe, expect, it } from 'vitest';
import {
  consumedLicenses,
  evolveUsage,
  usageSamples,
  type ConfigurationUsage,
} from '../src/usage-metrics/domain/configuration-usage';
import { hourBoundaries } from '../src/usage-metrics/domain/hourly-points';
import {
  evaluateExpression,
  parseExpression,
  referencedIds,
  type Series,
} from '../src/usage-metrics/domain/metric-math';
import {
  alignedStart,
  checkDatapointCount,
  checkPeriod,
  checkRequestedStatistics,
  checkTimeRange,
  statisticValue,
} from '../src/usage-metrics/domain/statistics';
import { dimensionsKey } from '../src/usage-metrics/domain/usage-metrics';

const ARN = 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1';
/** Only what the test is about: the rest of an event's data is not read. */
const event = (type: LicenseConfigurationEventType, data: object) => ({ type, data }) as LicenseConfigurationEvent;
const created = (licenseCount?: number) =>
  evolveUsage(
    undefined,
    event('LicenseConfigurationCreated', {
      arn: ARN,
      ownerAccountId: '111111111111',
      countingType: 'Core',
      ...(licenseCount === undefined ? {} : { licenseCount }),
    }),
  )!;
const associated = (
  usage: ConfigurationUsage,
  resourceArn: string,
  consumedLicenses: number,
  consumptionKey = resourceArn,
) => evolveUsage(usage, event('ResourceAssociated', { resourceArn, consumptionKey, consumedLicenses }))!;

function awsError(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof AwsError) return [error.code, error.message];
    throw error;
  }
  throw new Error('no error');
}

describe('a configuration usage folded from licensing events', () => {
  it('counts each consumption key once, at its largest consumption, as licensing does', () => {
    let usage = created(96);
    usage = associated(usage, 'i-1', 16, 'h-1');
    usage = associated(usage, 'i-2', 24, 'h-1');
    usage = associated(usage, 'i-3', 8);
    expect(consumedLicenses(usage)).toBe(32);
    usage = evolveUsage(usage, event('AssociationConsumptionChanged', { resourceArn: 'i-2', consumedLicenses: 0 }))!;
    expect(consumedLicenses(usage)).toBe(24);
    usage = evolveUsage(usage, event('ResourceDisassociated', { resourceArn: 'i-1' }))!;
    expect(consumedLicenses(usage)).toBe(8);
  });

  it('makes the guide three gauges with their units and both dimensions', () => {
    const usage = associated(created(40), 'i-1', 10);
    expect(usageSamples(usage)).toEqual([
      expect.objectContaining({ metricName: 'LicenseConfigurationUsageCount', value: 10, unit: 'Count' }),
      expect.objectContaining({ metricName: 'TotalLicenseConfigurationUsageCount', value: 40, unit: 'Count' }),
      expect.objectContaining({ metricName: 'LicenseConfigurationUsagePercentage', value: 25, unit: 'Percent' }),
    ]);
    expect(usageSamples(usage)[0].dimensions).toEqual([
      { Name: 'LicenseConfigurationArn', Value: ARN },
      { Name: 'LicenseConfigurationType', Value: 'Core' },
    ]);
  });

  it('has no total or percentage without a license count, and nothing once deleted', () => {
    expect(usageSamples(created()).map((s) => s.metricName)).toEqual(['LicenseConfigurationUsageCount']);
    const changed = evolveUsage(created(), event('LicenseConfigurationUpdated', { changes: { licenseCount: 4 } }))!;
    expect(usageSamples(changed)).toHaveLength(3);
    const deleted = evolveUsage(changed, event('LicenseConfigurationDeleted', {}))!;
    expect(usageSamples(deleted)).toEqual([]);
    expect(
      evolveUsage(deleted, event('ResourceAssociated', { resourceArn: 'i-1', consumedLicenses: 1 })),
    ).toBeUndefined();
  });

  it('ignores events that change nothing it counts, and those of configurations it never saw created', () => {
    expect(evolveUsage(created(1), event('LicenseConfigurationUpdated', { changes: { name: 'x' } }))).toBeUndefined();
    expect(evolveUsage(created(1), event('LicenseConfigurationTagged', { tags: {} }))).toBeUndefined();
    expect(evolveUsage(undefined, event('ResourceAssociated', { resourceArn: 'i-1' }))).toBeUndefined();
  });
});

describe('hourly data points', () => {
  it('fall on each whole hour after the first instant, up to and including the last', () => {
    expect(hourBoundaries(new Date('2026-01-01T10:30:00Z'), new Date('2026-01-01T13:00:00Z'))).toEqual([
      new Date('2026-01-01T11:00:00Z'),
      new Date('2026-01-01T12:00:00Z'),
      new Date('2026-01-01T13:00:00Z'),
    ]);
    expect(hourBoundaries(new Date('2026-01-01T11:00:00Z'), new Date('2026-01-01T11:59:59Z'))).toEqual([]);
  });
});

describe('statistics', () => {
  const set = { sampleCount: 4, sum: 24, minimum: 0, maximum: 12 };

  it('computes the five statistics of a statistic set', () => {
    expect(['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].map((s) => statisticValue(set, s as never))).toEqual(
      [6, 24, 0, 12, 4],
    );
  });

  it('refuses what CloudWatch refuses', () => {
    expect(awsError(() => checkPeriod(90))).toEqual([
      'InvalidParameterValueException',
      'The parameter Period must be a multiple of 60.',
    ]);
    expect(awsError(() => checkTimeRange(new Date(1000), new Date(1000)))[0]).toBe('InvalidParameterValueException');
    expect(awsError(() => checkRequestedStatistics([], []))[0]).toBe('InvalidParameterCombinationException');
    expect(awsError(() => checkRequestedStatistics(['p99'], []))[0]).toBe('InvalidParameterValueException');
    expect(awsError(() => checkRequestedStatistics([], ['p99']))[0]).toBe('InvalidParameterValueException');
    const day = 86_400_000;
    expect(() => checkDatapointCount(new Date(0), new Date(day), 60)).not.toThrow();
    expect(awsError(() => checkDatapointCount(new Date(0), new Date(day + 60_000), 60))).toEqual([
      'InvalidParameterCombinationException',
      expect.stringMatching(/^You have requested up to 1441 datapoints, which exceeds the limit of 1440\./),
    ]);
    expect(checkRequestedStatistics(['Maximum', 'Sum'])).toEqual(['Maximum', 'Sum']);
  });

  it('starts periods at the start time rounded down to the minute', () => {
    expect(alignedStart(new Date('2026-01-01T10:30:42.5Z'))).toEqual(new Date('2026-01-01T10:30:00Z'));
  });

  it('names a metric by its dimensions whatever their order', () => {
    expect(
      dimensionsKey([
        { Name: 'B', Value: '2' },
        { Name: 'A', Value: '1' },
      ]),
    ).toBe(
      dimensionsKey([
        { Name: 'A', Value: '1' },
        { Name: 'B', Value: '2' },
      ]),
    );
  });
});

describe('metric math', () => {
  const series = (entries: Array<[number, number]>): Series => new Map(entries);
  const inputs: Record<string, Series> = {
    m1: series([
      [1, 12],
      [2, 8],
      [3, 5],
    ]),
    m2: series([
      [1, 48],
      [2, 0],
      [4, 10],
    ]),
  };
  const run = (text: string) => [...evaluateExpression(parseExpression(text), (id) => inputs[id]).entries()];

  it('applies + - * / with precedence and parentheses, at the timestamps both series have', () => {
    expect(run('m1/m2*100')).toEqual([[1, 25]]);
    expect(run('m1 + m2 / 2')).toEqual([
      [1, 36],
      [2, 8],
    ]);
    expect(run('(m1 + 4) * 2 - -1')).toEqual([
      [1, 33],
      [2, 25],
      [3, 19],
    ]);
    expect(run('100 - m1')).toEqual([
      [1, 88],
      [2, 92],
      [3, 95],
    ]);
    expect(referencedIds(parseExpression('m1/m2*100'))).toEqual(['m1', 'm2']);
  });

  it('sums an array of series at every timestamp any of them has', () => {
    expect(run('SUM([m1, m2])')).toEqual([
      [1, 60],
      [2, 8],
      [3, 5],
      [4, 10],
    ]);
    expect(run('SUM([m1, m2 * 2]) / 2')).toEqual([
      [1, 54],
      [2, 4],
      [3, 2.5],
      [4, 10],
    ]);
    expect(run('SUM(m1)')).toEqual(run('m1'));
    expect(referencedIds(parseExpression('SUM([m1, m2])'))).toEqual(['m1', 'm2']);
  });

  it('leaves a division by zero out', () => {
    expect(run('m1/m2')).toEqual([[1, 0.25]]);
  });

  it.each(['SUM(METRICS())', 'AVG([m1])', 'SUM([m1, 2])', 'SUM([m1', 'm1 +', '(m1', 'm1 ^ 2', '', '2 * 3'])(
    'refuses %j',
    (text) => {
      expect(awsError(() => evaluateExpression(parseExpression(text), (id) => inputs[id]))[0]).toBe(
        'InvalidParameterValueException',
      );
    },
  );
});
