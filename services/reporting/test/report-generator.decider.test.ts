import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { ReportGeneratorCommand, RunOutcome } from '../src/report-generators/domain/commands';
import { reportGeneratorDecider } from '../src/report-generators/domain/decide';
import { definitionOf, type ReportGeneratorDefinition } from '../src/report-generators/domain/definition';

const owner = { accountId: '111111111111', region: 'us-east-1' };
const arn = 'arn:aws:license-manager:us-east-1:111111111111:report-generator:r-0123456789abcdef0123456789abcdef';
const configurationArn =
  'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef';
const t0 = new Date('2026-03-01T00:00:00Z');
const hours = (n: number) => new Date(t0.getTime() + n * 3600_000);

const definition = (period: ReportGeneratorDefinition['frequency']['period'] = 'DAY'): ReportGeneratorDefinition => ({
  name: 'daily',
  types: ['LicenseConfigurationSummaryReport'],
  licenseConfigurationArns: [configurationArn],
  frequency: { value: 1, period },
});

const create = (period?: ReportGeneratorDefinition['frequency']['period']): ReportGeneratorCommand => ({
  type: 'CreateReportGenerator',
  arn,
  ...owner,
  definition: definition(period),
  tags: [{ Key: 'team', Value: 'finance' }],
  now: t0,
  clientToken: 'token-1',
  requestHash: 'hash-1',
});
const start = (runId: string, now: Date, staleAfterMs = 600_000): ReportGeneratorCommand => ({
  type: 'StartReportRun',
  arn,
  runId,
  now,
  staleAfterMs,
});
const success: RunOutcome = {
  status: 'SUCCESS',
  bucket: 'aws-license-manager-service-x',
  keyPrefix: 'Reports/daily/',
  keys: ['k'],
};
const finish = (runId: string, now: Date, outcome: RunOutcome = success): ReportGeneratorCommand => ({
  type: 'FinishReportRun',
  arn,
  runId,
  now,
  outcome,
  retryAfterMs: 3600_000,
});
const update = (clientToken: string, requestHash: string, now = hours(1)): ReportGeneratorCommand => ({
  type: 'UpdateReportGenerator',
  arn,
  accountId: owner.accountId,
  definition: { ...definition('WEEK'), name: 'weekly' },
  now,
  clientToken,
  requestHash,
});

const { given, history } = DeciderSpecification.for(reportGeneratorDecider);

describe('report generator decider', () => {
  it('creates a generator due at once', () => {
    given([])
      .when(create())
      .then([
        {
          type: 'ReportGeneratorCreated',
          data: {
            arn,
            ...owner,
            definition: definition(),
            tags: [{ Key: 'team', Value: 'finance' }],
            createdAt: t0.toISOString(),
            nextRunAt: t0.toISOString(),
            clientToken: 'token-1',
            requestHash: 'hash-1',
          },
        },
      ]);
  });

  it('runs a due generator once, then again a period after the run started', () => {
    const created = history(create());
    const started = given(created)
      .when(start('run-1', hours(0.01)))
      .decided();
    expect(started).toEqual([
      { type: 'ReportRunStarted', data: { arn, runId: 'run-1', startedAt: hours(0.01).toISOString() } },
    ]);
    // Another replica finds it taken.
    given([...created, ...started])
      .when(start('run-2', hours(0.02)))
      .thenNothing();
    const finished = given([...created, ...started])
      .when(finish('run-1', hours(0.03)))
      .then([
        {
          type: 'ReportRunSucceeded',
          data: {
            arn,
            runId: 'run-1',
            generatedAt: hours(0.03).toISOString(),
            reports: { bucket: success.bucket, keyPrefix: 'Reports/daily/', keys: ['k'] },
            nextRunAt: hours(24.01).toISOString(),
          },
        },
      ]);
    const ran = [...created, ...started, ...finished];
    given(ran)
      .when(start('run-3', hours(24)))
      .thenNothing();
    given(ran)
      .when(start('run-3', hours(24.01)))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['ReportRunStarted']));
    const state = given(ran).state;
    expect(state.status === 'present' && state.generator.lastRun).toEqual({
      status: 'SUCCESS',
      at: hours(0.03).toISOString(),
    });
  });

  it('runs a ONE_TIME generator once', () => {
    const ran = history(create('ONE_TIME'), start('run-1', t0), finish('run-1', t0));
    const state = given(ran).state;
    expect(state.status === 'present' && state.generator.nextRunAt).toBeNull();
    given(ran)
      .when(start('run-2', hours(24 * 365)))
      .thenNothing();
  });

  it('records a failed run with its reason, and tries again an hour later, or at the next period if sooner', () => {
    const failure: RunOutcome = { status: 'FAILED', reason: 'no bucket' };
    const failed = history(create('WEEK'), start('run-1', t0), finish('run-1', hours(0.5), failure));
    const state = given(failed).state;
    expect(state.status === 'present' && state.generator).toMatchObject({
      lastRun: { status: 'FAILED', reason: 'no bucket', at: hours(0.5).toISOString() },
      nextRunAt: hours(1.5).toISOString(),
    });
    given(failed)
      .when(start('run-2', hours(1.4)))
      .thenNothing();
    given(failed)
      .when(start('run-2', hours(1.5)))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['ReportRunStarted']));
    // A daily run that failed 23.5 hours after it started is due again at the period, not an hour later.
    const late = history(create('DAY'), start('run-1', t0), finish('run-1', hours(23.5), failure));
    const lateState = given(late).state;
    expect(lateState.status === 'present' && lateState.generator.nextRunAt).toBe(hours(24).toISOString());
    // A ONE_TIME generator is tried again until its one report is written.
    const once = history(create('ONE_TIME'), start('run-1', t0), finish('run-1', t0, failure));
    const onceState = given(once).state;
    expect(onceState.status === 'present' && onceState.generator.nextRunAt).toBe(hours(1).toISOString());
  });

  it('takes over a run whose replica died, and ignores the dead run finishing late', () => {
    const stuck = history(create(), start('run-1', t0));
    given(stuck)
      .when(start('run-2', hours(0.1), 600_000))
      .thenNothing();
    const takenOver = history(create(), start('run-1', t0), start('run-2', hours(0.2), 600_000));
    expect(takenOver.map((e) => e.type)).toEqual(['ReportGeneratorCreated', 'ReportRunStarted', 'ReportRunStarted']);
    given(takenOver)
      .when(finish('run-1', hours(0.3)))
      .thenNothing();
  });

  it('makes an update report at once and supersedes a run in progress; a retried update decides nothing', () => {
    const running = history(create(), start('run-1', t0));
    const updated = given(running).when(update('u-1', 'h-1')).decided();
    expect(updated).toEqual([
      {
        type: 'ReportGeneratorUpdated',
        data: {
          arn,
          definition: { ...definition('WEEK'), name: 'weekly' },
          updatedAt: hours(1).toISOString(),
          nextRunAt: hours(1).toISOString(),
          clientToken: 'u-1',
          requestHash: 'h-1',
        },
      },
    ]);
    given([...running, ...updated])
      .when(finish('run-1', hours(1.1)))
      .thenNothing();
    given([...running, ...updated])
      .when(update('u-1', 'h-1'))
      .thenNothing();
    given([...running, ...updated])
      .when(update('u-1', 'another request'))
      .thenThrows({ code: 'ValidationException', message: /ClientToken u-1 was already used/ });
  });

  it('tells another account, and anyone after deletion, that the generator does not exist', () => {
    const created = history(create());
    given(created)
      .when({ type: 'DeleteReportGenerator', arn, accountId: '222222222222', now: t0 })
      .thenThrows({ code: 'ResourceNotFoundException' });
    const deleted = history(create(), { type: 'DeleteReportGenerator', arn, accountId: owner.accountId, now: t0 });
    given(deleted).when(update('u-1', 'h-1')).thenThrows({ code: 'ResourceNotFoundException' });
    // The tag operations' model has no ResourceNotFoundException.
    given(deleted)
      .when({ type: 'TagReportGenerator', arn, accountId: owner.accountId, now: t0, tags: [{ Key: 'a', Value: 'b' }] })
      .thenThrows({ code: 'InvalidParameterValueException' });
    given(deleted)
      .when(start('run-1', hours(1)))
      .thenNothing();
  });

  it('tags within AWS limits and untags only the keys it has', () => {
    const created = history(create());
    const tag = (tags: { Key: string; Value: string }[]): ReportGeneratorCommand => ({
      type: 'TagReportGenerator',
      arn,
      accountId: owner.accountId,
      now: t0,
      tags,
    });
    given(created)
      .when(
        tag([
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ]),
      )
      .thenThrows({ code: 'ValidationException' });
    given(created)
      .when({ type: 'UntagReportGenerator', arn, accountId: owner.accountId, now: t0, tagKeys: ['absent'] })
      .thenNothing();
    given(created)
      .when({ type: 'UntagReportGenerator', arn, accountId: owner.accountId, now: t0, tagKeys: ['team', 'absent'] })
      .then([{ type: 'ReportGeneratorUntagged', data: { arn, tagKeys: ['team'] } }]);
  });
});

describe('a request’s definition', () => {
  const request = {
    ReportGeneratorName: 'daily',
    Type: ['LicenseConfigurationSummaryReport', 'LicenseConfigurationUsageReport'] as (
      'LicenseConfigurationSummaryReport' | 'LicenseConfigurationUsageReport' | 'LicenseAssetGroupUsageReport'
    )[],
    ReportContext: { licenseConfigurationArns: [configurationArn] },
    ReportFrequency: { value: 1, period: 'DAY' as const },
  };
  const refused = (changes: object) => () => definitionOf({ ...request, ...changes }, owner);

  it('takes a valid one as it is', () => {
    expect(definitionOf(request, owner)).toEqual({
      name: 'daily',
      description: undefined,
      types: request.Type,
      licenseConfigurationArns: [configurationArn],
      frequency: { value: 1, period: 'DAY' },
    });
  });

  it('refuses names outside 1 to 100 characters, or that would move the reports’ folder', () => {
    expect(refused({ ReportGeneratorName: '' })).toThrow(/1 to 100 characters/);
    expect(refused({ ReportGeneratorName: 'x'.repeat(101) })).toThrow(/1 to 100 characters/);
    expect(refused({ ReportGeneratorName: 'a/b' })).toThrow(/cannot contain/);
    expect(refused({ ReportGeneratorName: '..' })).toThrow(/only dots/);
    expect(() => definitionOf({ ...request, ReportGeneratorName: 'x'.repeat(100) }, owner)).not.toThrow();
  });

  it('refuses frequencies other than value 1 with DAY, WEEK, MONTH or ONE_TIME', () => {
    expect(refused({ ReportFrequency: { value: 2, period: 'DAY' } })).toThrow(/value must be 1/);
    expect(refused({ ReportFrequency: { value: 1, period: 'HOUR' } })).toThrow(/DAY, WEEK, MONTH, ONE_TIME/);
    expect(refused({ ReportFrequency: { period: 'DAY' } })).toThrow(/value must be 1/);
  });

  it('refuses missing, unknown and repeated report types, and asset group reports without their groups saying why', () => {
    expect(refused({ Type: [] })).toThrow(/at least one report type/);
    expect(refused({ Type: ['Other'] })).toThrow(/is not one of/);
    expect(refused({ Type: ['LicenseConfigurationUsageReport', 'LicenseConfigurationUsageReport'] })).toThrow(/twice/);
    expect(refused({ Type: ['LicenseAssetGroupUsageReport'] })).toThrow(
      expect.objectContaining({
        code: 'InvalidParameterValueException',
        message: expect.stringMatching(/asset groups/),
      }),
    );
  });

  it("refuses a context without configurations, or with another account's or Region's", () => {
    expect(refused({ ReportContext: {} })).toThrow(/must name the license configurations/);
    const theirs = configurationArn.replace('111111111111', '222222222222');
    expect(refused({ ReportContext: { licenseConfigurationArns: [theirs] } })).toThrow(
      expect.objectContaining({
        code: 'InvalidParameterValueException',
        message: expect.stringMatching(/does not exist/),
      }),
    );
    const elsewhere = configurationArn.replace('us-east-1', 'eu-west-1');
    expect(refused({ ReportContext: { licenseConfigurationArns: [elsewhere] } })).toThrow(/does not exist/);
    expect(refused({ ReportContext: { licenseConfigurationArns: ['not-an-arn'] } })).toThrow(/does not exist/);
  });
});
