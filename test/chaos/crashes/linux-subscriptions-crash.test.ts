import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evolveLinuxInstance,
  type LinuxInstanceState,
} from '../../../services/linux-subscriptions/src/instances/domain/linux-instance';
import type { LinuxInstanceEvent } from '../../../services/linux-subscriptions/src/instances/domain/events';
import { rawRequest } from '../../support/clients';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import { boto3Linux, enableLinuxDiscovery, eventually } from '../../support/linux-subscriptions';
import { accounts, startSystem, type RunningSystem } from '../../support/system';

const OWNER = accounts.member;
const REPORTERS = 4;
const PER_REPORT = 5;

/** Usage operations the reports cycle through: RHEL, RHEL HA, SUSE, BYOS, and Amazon Linux (no subscription). */
const USAGE_OPERATIONS = [
  'RunInstances:0010',
  'RunInstances:1010',
  'RunInstances:000g',
  'RunInstances:00g0',
  'RunInstances',
];

class ReportRefused extends Error {
  constructor(
    readonly $metadata: { httpStatusCode: number },
    text: string,
  ) {
    super(`ReportResources answered ${$metadata.httpStatusCode}: ${text}`);
  }
}

describe('kill -9 of linux-subscriptions while instances are being reported', { timeout: 150_000 }, () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // The events the killed process held come again after the consumers' ack wait: 5 s rather than 30 s.
    system = await startSystem({
      LM_OPERATION_TIMEOUT_MS: '3000',
      LM_LINUX_INSTANCE_SWEEP_MS: '1000',
      LM_CONSUMER_ACK_WAIT_MS: '5000',
    });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('lists after the restart exactly what a rebuild from its events gives, and what was reported', async () => {
    expect((await enableLinuxDiscovery(system, OWNER, ['us-east-1'])).stderr).toBe('');
    await eventually(
      async () => (await boto3Linux(system, OWNER, [{ name: 's', op: 'get_service_settings' }])).s.result?.Status,
      (status) => status === 'Successful',
    );
    /** The last reported state of each instance: its usage operation and EC2 state. */
    const reported = new Map<string, { usageOperation: string; state: string }>();
    const record = new LoadRecord();
    let reports = 0;
    const report = async (resources: { id: string; usageOperation: string; state: string }[]) => {
      const response = await rawRequest(system, {
        account: OWNER,
        path: '/inventory/ReportResources',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          Resources: resources.map((r) => ({
            ResourceId: r.id,
            ResourceType: 'EC2_INSTANCE',
            State: r.state,
            UsageOperation: r.usageOperation,
            InstanceType: 'm5.large',
            ObservedAt: new Date().toISOString(),
          })),
        }),
      });
      if (response.status !== 200) throw new ReportRefused({ httpStatusCode: response.status }, response.text);
    };
    // New instances, and every fourth report of a reporter stops or terminates running ones it reported before.
    const reporting = async (running: () => boolean) => {
      const mine: string[] = [];
      for (let own = 0; running(); own++) {
        const n = reports++;
        const live = mine.filter((id) => reported.get(id)!.state === 'running');
        const resources =
          own % 4 === 3 && live.length >= PER_REPORT
            ? live.slice(-PER_REPORT).map((id, i) => ({
                id,
                usageOperation: reported.get(id)!.usageOperation,
                state: i % 2 === 0 ? 'stopped' : 'terminated',
              }))
            : Array.from({ length: PER_REPORT }, (_, i) => ({
                id: `i-0c${n.toString(16).padStart(12, '0')}${i.toString(16).padStart(3, '0')}`,
                usageOperation: USAGE_OPERATIONS[(n + i) % USAGE_OPERATIONS.length],
                state: 'running',
              }));
        const { settled } = await untilAnswered(record, () => report(resources));
        if (settled.status === 'rejected') throw settled.reason;
        for (const r of resources) {
          if (!reported.has(r.id)) mine.push(r.id);
          reported.set(r.id, { usageOperation: r.usageOperation, state: r.state });
        }
      }
    };
    const outage = await crashDuringLoad(
      system,
      'linux-subscriptions',
      record,
      (running) => Promise.all(Array.from({ length: REPORTERS }, () => reporting(running))),
      { beforeMs: 1_500, downMs: 300, afterMs: 1_500 },
    );
    // Discovery kept answering: the reports never waited on the killed service.
    expect(unansweredOutside(record, outage)).toEqual([]);
    expect(reported.size).toBeGreaterThan(40);

    // What the reports say must be discovered: the instances with a subscription that are not terminated.
    const expected = new Map(
      [...reported]
        .filter(([, r]) => r.usageOperation !== 'RunInstances' && r.state !== 'terminated')
        .map(([id, r]) => [id, r.state]),
    );
    const list = async () =>
      (
        await boto3Linux(system, OWNER, [
          { name: 'all', op: 'list_linux_subscription_instances', params: { MaxResults: 50 }, pages: true },
        ])
      ).all.items ?? [];
    const same = (items: Record<string, string>[]) =>
      items.length === expected.size && items.every((i) => expected.get(i.InstanceID) === i.Status);
    // The events the killed process had taken and not acknowledged come again after the consumers' ack wait (5 s here).
    const listed = await eventually(list, same, 60_000);
    expect(new Map(listed.map((i) => [i.InstanceID, i.Status]))).toEqual(expected);

    // A rebuild from the service's events, stream by stream, gives the same instances.
    await withSystemDatabase(system, async (db) => {
      const { rows } = await db.query(
        `select stream_name, type, data from linux_subscriptions.events
          where stream_name like 'linux-instance-%' order by stream_name, stream_version`,
      );
      const states = new Map<string, LinuxInstanceState>();
      for (const row of rows as { stream_name: string; type: LinuxInstanceEvent['type']; data: never }[])
        states.set(
          row.stream_name,
          evolveLinuxInstance(states.get(row.stream_name) ?? {}, {
            type: row.type,
            data: row.data,
          } as LinuxInstanceEvent),
        );
      const rebuilt = [...states.values()].flatMap(({ instance }) => (instance ? [instance] : []));
      const shown = (i: { instanceId?: string; InstanceID?: string }) => i.instanceId ?? i.InstanceID;
      expect(rebuilt.map(shown).sort()).toEqual(listed.map(shown).sort());
      const byId = new Map(listed.map((i) => [i.InstanceID, i]));
      for (const instance of rebuilt)
        expect(byId.get(instance.instanceId)).toMatchObject({
          SubscriptionName: instance.subscriptionName,
          Status: instance.status,
          UsageOperation: instance.usageOperation,
          DualSubscription: String(instance.dualSubscription),
          LastUpdatedTime: instance.lastUpdatedTime,
        });
      // No instance was classified twice without going in between (a redelivered observation decided nothing new).
      const twice = await db.query(
        `select stream_name from linux_subscriptions.events where stream_name like 'linux-instance-%'
          group by stream_name
          having count(*) filter (where type = 'LinuxInstanceSubscriptionClassified') > count(*) filter (where type = 'LinuxInstanceGone') + 1`,
      );
      expect(twice.rows).toEqual([]);
    });
  });
});
