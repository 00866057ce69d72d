import { setTimeout as sleep } from 'node:timers/promises';
import { CreateLicenseConversionTaskForResourceCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager, rawRequest } from '../../support/clients';
import { reportAndAwaitConversion } from '../../support/conversion';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import { reportResources, type ObservedResource } from '../../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../../support/system';

const TASKS = 30;
/**
 * Longer than the consumers' ack wait (30 s): the observations the killed process had taken come again
 * only then, and must still find their tasks in progress.
 */
const TIMEOUT_MS = 45_000;
const owner = accounts.member;

/** How each task is meant to end: the inventory shows the destination, the integrator reports a failure, or nothing comes. */
type Ending = 'observed' | 'reported' | 'timeout';
const ENDINGS: Ending[] = ['observed', 'reported', 'timeout'];
const EXPECTED = { observed: 'SUCCEEDED', reported: 'FAILED', timeout: 'FAILED' } as const;

const instance = (i: number): ObservedResource => ({
  accountId: owner.accountId,
  region: 'us-east-1',
  resourceId: `i-0d${i.toString(16).padStart(15, '0')}`,
  resourceType: 'EC2_INSTANCE',
  state: 'stopped',
  platform: 'Windows',
  usageOperation: 'RunInstances:0800',
  vCpuCount: 4,
  imageOwner: 'self',
  ssmManaged: true,
});

describe('kill -9 of conversion while license type conversions are in progress', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // Requests caught by the crash fail after 3 s; the timeout sweep runs every half second.
    system = await startSystem({
      LM_OPERATION_TIMEOUT_MS: '3000',
      LM_CONVERSION_TIMEOUT: String(TIMEOUT_MS),
      LM_CONVERSION_SWEEP_MS: '500',
    });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('ends every task after the restart, once, as its integrator or the timeout says', async () => {
    const instances = Array.from({ length: TASKS }, (_, i) => instance(i));
    await reportAndAwaitConversion(system, instances);
    const client = licenseManager(system, owner);
    const tasks: { taskId: string; ending: Ending; instance: ObservedResource }[] = [];
    for (const [i, reported] of instances.entries()) {
      const { LicenseConversionTaskId } = await client.send(
        new CreateLicenseConversionTaskForResourceCommand({
          ResourceArn: `arn:aws:ec2:us-east-1:${owner.accountId}:instance/${reported.resourceId}`,
          SourceLicenseContext: { UsageOperation: 'RunInstances:0800' },
          DestinationLicenseContext: { UsageOperation: 'RunInstances:0002' },
        }),
      );
      tasks.push({ taskId: LicenseConversionTaskId!, ending: ENDINGS[i % ENDINGS.length], instance: reported });
    }

    // The integrator's work, one task after the other, while conversion is killed and started again.
    const record = new LoadRecord();
    const reportFailure = async (taskId: string) => {
      const response = await rawRequest(system, {
        account: owner,
        path: '/conversion/ReportConversionResult',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ LicenseConversionTaskId: taskId, Succeeded: false, StatusMessage: 'could not convert' }),
      });
      if (response.status !== 200)
        throw Object.assign(new Error(response.text), { $metadata: { httpStatusCode: response.status } });
      return response.json;
    };
    const integrator = async (running: () => boolean) => {
      for (const task of tasks) {
        if (task.ending === 'observed') {
          await reportResources(system, [{ ...task.instance, usageOperation: 'RunInstances:0002' }]);
        } else if (task.ending === 'reported') {
          const { settled } = await untilAnswered(record, () => reportFailure(task.taskId), 60_000);
          if (settled.status === 'rejected') throw settled.reason;
        }
        // Spread over the outage: part before the kill, part while it is down, the rest after.
        if (running()) await sleep(100);
      }
    };
    const outage = await crashDuringLoad(system, 'conversion', record, integrator, {
      beforeMs: 800,
      downMs: 500,
      afterMs: 500,
    });
    expect(unansweredOutside(record, outage)).toEqual([]);

    // Every task ends, as meant: the sweep fails the ones nothing came for once LM_CONVERSION_TIMEOUT has passed.
    const statusOf = async () =>
      withSystemDatabase(system, async (db) => {
        const { rows } = await db.query('select task_id, status from conversion.conversion_tasks');
        return new Map(rows.map((row: { task_id: string; status: string }) => [row.task_id, row.status]));
      });
    let statuses = await statusOf();
    for (let i = 0; i < 450 && [...statuses.values()].some((status) => status === 'IN_PROGRESS'); i++) {
      await sleep(200);
      statuses = await statusOf();
    }
    expect(statuses.size).toBe(TASKS);
    for (const task of tasks)
      expect([task.ending, statuses.get(task.taskId)]).toEqual([task.ending, EXPECTED[task.ending]]);

    // From below the API: one start and one end per task, in the instance's one stream.
    await withSystemDatabase(system, async (db) => {
      const { rows } = await db.query(
        `select data->>'taskId' as task_id, count(distinct stream_name)::int as streams,
                count(*) filter (where type = 'LicenseConversionTaskStarted')::int as started,
                count(*) filter (where type in ('LicenseConversionSucceeded', 'LicenseConversionFailed'))::int as ended,
                max(data->>'cause') as cause
           from conversion.events group by 1`,
      );
      expect(rows).toHaveLength(TASKS);
      const cause = { observed: null, reported: 'Integrator', timeout: 'Timeout' };
      for (const task of tasks)
        expect(rows.find((row: { task_id: string }) => row.task_id === task.taskId)).toEqual({
          task_id: task.taskId,
          streams: 1,
          started: 1,
          ended: 1,
          cause: cause[task.ending],
        });
    });
  }, 240_000);
});
