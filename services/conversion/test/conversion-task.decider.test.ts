import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { InstanceFacts } from '../src/shared/instance-facts';
import type { ConversionTaskCommand } from '../src/tasks/domain/commands';
import { toLicenseConversionTask } from '../src/tasks/domain/conversion-task';
import { conversionTasksDecider } from '../src/tasks/domain/decide';

const spec = DeciderSpecification.for(conversionTasksDecider);
const accountId = '111111111111';
const resourceId = 'i-0123456789abcdef0';
const resourceArn = `arn:aws:ec2:us-east-1:${accountId}:instance/${resourceId}`;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ref = (taskId: string) => ({ taskId, accountId, region: 'us-east-1', resourceArn, resourceId });
const BYOL = { usageOperation: 'RunInstances:0800', productCodes: [] };
const LI = { usageOperation: 'RunInstances:0002', productCodes: [] };

const instance: InstanceFacts = {
  resourceId,
  state: 'stopped',
  usageOperation: 'RunInstances:0800',
  productCodes: [],
  platform: 'Windows',
  platformVersion: '2022',
  vCpuCount: 4,
  tenancy: 'default',
  imageOwner: 'self',
  ssmManaged: true,
  stopProtection: false,
  observedAt: t0.toISOString(),
};

const start = (taskId: string, facts: Partial<InstanceFacts> = {}, now = t0): ConversionTaskCommand => ({
  type: 'StartConversion',
  task: ref(taskId),
  instance: { ...instance, ...facts },
  source: BYOL,
  destination: LI,
  now,
});
const started = {
  type: 'LicenseConversionTaskStarted' as const,
  data: {
    ...ref('lct-1'),
    source: BYOL,
    destination: LI,
    licenseIncluded: ['windows-server-datacenter'],
    startTime: t0.toISOString(),
  },
};
const requested = {
  type: 'LicenseConversionRequested' as const,
  data: { ...ref('lct-1'), source: BYOL, destination: LI, startTime: t0.toISOString() },
};
const observe = (usageOperation: string, observedAt: Date, now = at(5)): ConversionTaskCommand => ({
  type: 'ObserveInstance',
  usageOperation,
  productCodes: [],
  observedAt: observedAt.toISOString(),
  now,
});
const report = (
  result: { succeeded: true } | { succeeded: false; statusMessage: string },
  now = at(3),
  taskId = 'lct-1',
): ConversionTaskCommand => ({ type: 'ReportConversionResult', taskId, accountId, result, now });
const succeeded = (licenseConversionTime: Date, endTime: Date) => ({
  type: 'LicenseConversionSucceeded' as const,
  data: {
    ...ref('lct-1'),
    destination: LI,
    licenseIncluded: ['windows-server-datacenter'],
    licenseConversionTime: licenseConversionTime.toISOString(),
    endTime: endTime.toISOString(),
  },
});
const integratorFailure = {
  type: 'LicenseConversionFailed' as const,
  data: {
    ...ref('lct-1'),
    cause: 'Integrator' as const,
    statusMessage: 'KMS switch failed',
    endTime: at(3).toISOString(),
  },
};

describe('the license conversion task decider', () => {
  it('starts a valid conversion IN_PROGRESS and asks the integrator for it', () => {
    spec.given([]).when(start('lct-1')).then([started, requested]);
    spec
      .given([started, requested])
      .when(observe('RunInstances:0800', at(1)))
      .thenState(({ tasks }) =>
        expect(toLicenseConversionTask(tasks['lct-1'])).toEqual({
          LicenseConversionTaskId: 'lct-1',
          ResourceArn: resourceArn,
          SourceLicenseContext: { UsageOperation: 'RunInstances:0800' },
          DestinationLicenseContext: { UsageOperation: 'RunInstances:0002' },
          Status: 'IN_PROGRESS',
          StartTime: t0.getTime() / 1000,
        }),
      );
  });

  it('refuses what the matrix refuses, starting nothing', () => {
    spec
      .given([])
      .when(start('lct-1', { state: 'running' }))
      .thenThrows({ name: 'InvalidParameterValueException' });
  });

  it('fails at once, without asking the integrator, when stop protection is on', () => {
    spec
      .given([])
      .when(start('lct-1', { stopProtection: true }))
      .then([
        started,
        {
          type: 'LicenseConversionFailed',
          data: {
            ...ref('lct-1'),
            cause: 'StopProtection',
            statusMessage: `EC2 instance ${resourceId} failed to stop. Ensure that you have permissions for EC2 StopInstances.`,
            endTime: t0.toISOString(),
          },
        },
      ]);
  });

  it('refuses a second conversion of the instance while one is in progress; once it ended, another starts', () => {
    spec
      .given([started, requested])
      .when(start('lct-2', {}, at(1)))
      .thenThrows({
        name: 'InvalidParameterValueException',
        message: `A license type conversion of ${resourceId} is already in progress (lct-1).`,
      });
    const [again] = spec
      .given([started, requested, integratorFailure])
      .when(start('lct-2', {}, at(4)))
      .decided();
    expect(again).toMatchObject({ type: 'LicenseConversionTaskStarted', data: { taskId: 'lct-2' } });
  });

  it('succeeds when the inventory shows the destination, at the time it was observed', () => {
    spec
      .given([started, requested])
      .when(observe('RunInstances:0002', at(2)))
      .then([succeeded(at(2), at(5))]);
  });

  it('takes no observation older than the task, nor one of another license type, and none once ended', () => {
    spec
      .given([started, requested])
      .when(observe('RunInstances:0002', at(-1)))
      .thenNothing();
    spec
      .given([started, requested])
      .when(observe('RunInstances:0800', at(2)))
      .thenNothing();
    spec
      .given([started, requested, succeeded(at(2), at(5))])
      .when(observe('RunInstances:0002', at(6)))
      .thenNothing();
  });

  it("ends with the integrator's report: SUCCEEDED at once, or FAILED with its message", () => {
    spec
      .given([started, requested])
      .when(report({ succeeded: true }))
      .then([succeeded(at(3), at(3))]);
    spec
      .given([started, requested])
      .when(report({ succeeded: false, statusMessage: 'KMS switch failed' }))
      .then([integratorFailure]);
  });

  it('takes the same report again as nothing, the other one as a conflict, and an unknown task as not found', () => {
    spec
      .given([started, requested, integratorFailure])
      .when(report({ succeeded: false, statusMessage: 'again' }, at(4)))
      .thenNothing();
    spec
      .given([started, requested, integratorFailure])
      .when(report({ succeeded: true }, at(4)))
      .thenThrows({ name: 'ConflictException' });
    spec
      .given([started, requested])
      .when(report({ succeeded: true }, at(4), 'lct-9'))
      .thenThrows({ name: 'ResourceNotFoundException' });
    spec
      .given([started, requested])
      .when({ ...report({ succeeded: true }), accountId: '222222222222' } as ConversionTaskCommand)
      .thenThrows({ name: 'ResourceNotFoundException' });
  });

  it('fails a task no result came for within the timeout, once', () => {
    const timeoutMs = 60 * 60_000;
    spec
      .given([started, requested])
      .when({ type: 'CheckTimeout', timeoutMs, now: at(59) })
      .thenNothing();
    const timedOut = {
      type: 'LicenseConversionFailed' as const,
      data: {
        ...ref('lct-1'),
        cause: 'Timeout' as const,
        statusMessage: 'No result of the license type conversion was reported within 3600 seconds.',
        endTime: at(60).toISOString(),
      },
    };
    spec
      .given([started, requested])
      .when({ type: 'CheckTimeout', timeoutMs, now: at(60) })
      .then([timedOut]);
    spec
      .given([started, requested, timedOut])
      .when({ type: 'CheckTimeout', timeoutMs, now: at(61) })
      .thenNothing();
    spec
      .given([started, requested, timedOut])
      .when({ type: 'CheckTimeout', timeoutMs, now: at(61) })
      .thenState(({ tasks }) =>
        expect(toLicenseConversionTask(tasks['lct-1'])).toMatchObject({
          Status: 'FAILED',
          StatusMessage: timedOut.data.statusMessage,
          EndTime: at(60).getTime() / 1000,
        }),
      );
  });
});
