import { AwsError, type LicenseConfigurationEvent, type LicenseConfigurationEventType } from '@lm/contracts';
import { describe, expect, it } from 'vitest';
import {
  associationConcerned,
  consumedLicenses,
  evolveUsage,
  usageSamples,
  type Association,
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
  )!.usage;
const associated = (
  usage: ConfigurationUsage,
  resourceArn: string,
  consumedLicenses: number,
  consumptionKey = resourceArn,
) => evolveUsage(usage, event('ResourceAssociated', { resourceArn, consumptionKey, consumedLicenses }))!.usage;

/**
 * A configuration's usage folded as the consumer folds it, each event given the associations on
 * the consumption keys it concerns and only those; with, after each change, what a count of every
 * association there is says.
 */
function fold(usage: ConfigurationUsage, events: LicenseConfigurationEvent[]) {
  const associations = new Map<string, Association>();
  const steps: { consumed: number; recounted: number }[] = [];
  for (const next of events) {
    const concerned = associationConcerned(next);
    const keys = new Set([associations.get(concerned?.resourceArn ?? '')?.consumptionKey, concerned?.consumptionKey]);
    const sharing = new Map([...associations].filter(([, association]) => keys.has(association.consumptionKey)));
    const change = evolveUsage(usage, next, sharing);
    if (!change) continue;
    usage = change.usage;
    const { resourceArn, association } = change.association ?? {};
    if (association) associations.set(resourceArn!, association);
    else if (resourceArn) associations.delete(resourceArn);
    steps.push({ consumed: usage.consumedLicenses, recounted: consumedLicenses(associations.values()) });
  }
  return { usage, steps, associations };
}

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
    const associate = (resourceArn: string, consumedLicenses: number, consumptionKey = resourceArn) =>
      event('ResourceAssociated', { resourceArn, consumptionKey, consumedLicenses });
    const { steps } = fold(created(96), [
      associate('i-1', 16, 'h-1'),
      associate('i-2', 24, 'h-1'),
      associate('i-3', 8),
      event('AssociationConsumptionChanged', { resourceArn: 'i-2', consumedLicenses: 0 }),
      event('ResourceDisassociated', { resourceArn: 'i-1' }),
    ]);
    expect(steps.map((step) => step.consumed)).toEqual([16, 24, 32, 24, 8]);
  });

  it('changes the count by what an event changes on its own keys, as a count of every association says', () => {
    const associate = (resourceArn: string, consumedLicenses: number, consumptionKey: string) =>
      event('ResourceAssociated', { resourceArn, consumptionKey, consumedLicenses });
    const changeTo = (resourceArn: string, consumedLicenses: number) =>
      event('AssociationConsumptionChanged', { resourceArn, consumedLicenses });
    const gone = (resourceArn: string) => event('ResourceDisassociated', { resourceArn });
    const { usage, steps, associations } = fold(created(50), [
      associate('i-1', 4, 'h-1'),
      associate('i-2', 8, 'h-1'),
      associate('i-3', 2, 'i-3'),
      associate('i-4', 6, 'h-2'),
      // Associated again, on another host: its consumption leaves h-1 for h-2.
      associate('i-2', 3, 'h-2'),
      changeTo('i-4', 0),
      // Neither is associated: the change is none, the disassociation still a point.
      changeTo('i-9', 5),
      gone('i-8'),
      gone('i-1'),
      associate('i-1', 1, 'h-1'),
      changeTo('i-3', 7),
    ]);
    expect(steps.map((step) => step.consumed)).toEqual([4, 8, 10, 16, 12, 9, 9, 5, 6, 11]);
    for (const step of steps) expect(step.consumed).toBe(step.recounted);
    expect([...associations.keys()].sort()).toEqual(['i-1', 'i-2', 'i-3', 'i-4']);
    expect(usage.consumedLicenses).toBe(11);
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
    const changed = evolveUsage(
      created(),
      event('LicenseConfigurationUpdated', { changes: { licenseCount: 4 } }),
    )!.usage;
    expect(usageSamples(changed)).toHaveLength(3);
    const deleted = evolveUsage(changed, event('LicenseConfigurationDeleted', {}))!.usage;
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
