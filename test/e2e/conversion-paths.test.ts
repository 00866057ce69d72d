import type { LicenseContext } from '@lm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceFor, isRefusal, PATH_ROWS, PREREQUISITE_ROWS } from '../../services/conversion/test/conversion-paths';
import type { Boto3CallResult } from '../support/clients';
import { boto3Conversion, reportAndAwaitConversion } from '../support/conversion';
import type { ObservedResource } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const owner = accounts.member;
const region = 'us-east-1';

/** Each row's request, on an instance of its own: the table of the matrix's unit test, and its prerequisites. */
const ROWS = [...PATH_ROWS, ...PREREQUISITE_ROWS].map((row, index) => ({
  row,
  resourceId: `i-0d${index.toString(16).padStart(15, '0')}`,
}));
const arnOf = (resourceId: string) => `arn:aws:ec2:${region}:${owner.accountId}:instance/${resourceId}`;

/** The row's instance as an integrator reports it through ReportResources (a fact the row leaves unknown is not reported). */
function reported({ row: [, source, , , facts], resourceId }: (typeof ROWS)[number]): ObservedResource {
  const { observedAt: _observedAt, productCodes, state, tenancy, ...instance } = instanceFor(resourceId, source, facts);
  return {
    ...instance,
    // The conversion's copy of the inventory keeps them as the strings discovery reported.
    state: state as ObservedResource['state'],
    tenancy: tenancy as ObservedResource['tenancy'],
    accountId: owner.accountId,
    region,
    resourceType: 'EC2_INSTANCE',
    productCodes: productCodes.map((productCodeId) => ({ productCodeId, productCodeType: 'marketplace' })),
  };
}

/** A license context as the API takes it (and GetLicenseConversionTask answers it). */
const apiContext = ({ usageOperation, productCodes }: LicenseContext) => ({
  UsageOperation: usageOperation,
  ...(productCodes.length > 0 && {
    ProductCodes: productCodes.map((ProductCodeId) => ({ ProductCodeId, ProductCodeType: 'marketplace' })),
  }),
});

/**
 * Every conversion path of the guide's matrix through the production path, in one system: each
 * row's instance reported through ReportResources (signed), every conversion asked for at once
 * with boto3 (CreateLicenseConversionTaskForResource), the tasks read back with
 * GetLicenseConversionTask and ListLicenseConversionTasks.
 */
describe("license type conversion end to end: every path of the guide's matrix", () => {
  let system: RunningSystem;
  let created: Record<string, Boto3CallResult>;
  let read: Record<string, Boto3CallResult>;

  beforeAll(async () => {
    system = await startSystem();
    await reportAndAwaitConversion(system, ROWS.map(reported));
    created = await boto3Conversion(
      system,
      owner,
      ROWS.map(({ row: [, source, destination], resourceId }) => ({
        name: resourceId,
        op: 'create_license_conversion_task_for_resource',
        params: {
          ResourceArn: arnOf(resourceId),
          SourceLicenseContext: apiContext(source),
          DestinationLicenseContext: apiContext(destination),
        },
      })),
    );
    const started = Object.entries(created).filter(([, answer]) => answer.result);
    read = await boto3Conversion(system, owner, [
      ...started.map(([resourceId, answer]) => ({
        name: resourceId,
        op: 'get_license_conversion_task',
        params: { LicenseConversionTaskId: answer.result!.LicenseConversionTaskId },
      })),
      { name: 'list', op: 'list_license_conversion_tasks', pages: true },
    ]);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.each(ROWS.map((entry) => [entry.row[0], entry] as const))('%s', (_path, { row, resourceId }) => {
    const [, source, destination, outcome] = row;
    if (isRefusal(outcome)) {
      expect(created[resourceId]).toEqual({
        error: { Code: 'InvalidParameterValueException', Status: 400, Message: outcome(resourceId) },
      });
      return;
    }
    const taskId = created[resourceId].result?.LicenseConversionTaskId;
    expect(taskId, JSON.stringify(created[resourceId])).toMatch(/^lct-[0-9a-f]{32}$/);
    expect(read[resourceId].result).toMatchObject({
      LicenseConversionTaskId: taskId,
      ResourceArn: arnOf(resourceId),
      SourceLicenseContext: apiContext(source),
      DestinationLicenseContext: apiContext(destination),
      Status: 'IN_PROGRESS',
    });
    expect(read[resourceId].result!.EndTime).toBeUndefined();
  });

  it('stores a task for each allowed path and nothing for a refusal', () => {
    const allowed = ROWS.filter(({ row }) => !isRefusal(row[3])).map(({ resourceId }) => arnOf(resourceId));
    expect(read.list.items!.map((task) => task.ResourceArn).sort()).toEqual(allowed.sort());
  });
});
