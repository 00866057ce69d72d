import { UpdateServiceSettingsCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager } from '../support/clients';
import { reportResources } from '../support/inventory';
import {
  enableLinuxDiscovery,
  enableOrganizationDiscovery,
  eventually,
  instanceId,
  linuxInstance,
} from '../support/linux-subscriptions';
import { accounts, startSystem, type RunningSystem } from '../support/system';

type Account = (typeof accounts)['member'];
type Datapoint = { Timestamp: string; Maximum: number; Minimum: number };

const RHEL = 'Red Hat Enterprise Linux Server';
const SUSE = 'SUSE Linux Enterprise Server';
const EAST = 'us-east-1';
const WEST = 'us-west-2';

/**
 * The guide's Linux subscription metrics end to end: instances reported through the inventory API
 * (ReportResources via the gateway), discovered by linux-subscriptions, counted by reporting, read
 * through the CloudWatch API with the AWS CLI: RunningInstancesCount in the instance's account (by
 * subscription name, and by subscription name and Region), AggregateRunningInstancesCount in the
 * management account whose discovery covers the organization; each account only its own.
 */
describe('RunningInstancesCount and AggregateRunningInstancesCount from reported instances', () => {
  let system: RunningSystem;
  const member = accounts.member;
  const management = accounts.management;
  const started = new Date(Math.floor(Date.now() / 60_000) * 60_000);

  const rhel = (account: Account, region: string, state = 'running') =>
    linuxInstance(account.accountId, region, instanceId('e7'), { usageOperation: 'RunInstances:0010', state });
  const memberEast = [rhel(member, EAST), rhel(member, EAST)];
  const memberWest = rhel(member, WEST);
  const memberSuseStopped = linuxInstance(member.accountId, EAST, instanceId('e7'), {
    usageOperation: 'RunInstances:000g',
    platform: 'SUSE Linux',
    state: 'stopped',
  });
  const managementOwn = rhel(management, EAST);
  const outsiders = rhel(accounts.outsider, EAST);

  const cloudwatch = (account: Account, ...args: string[]) => awsCli(system, account, ['cloudwatch', ...args]);
  /** The metric's one-minute statistics since the test started, oldest first. */
  const datapoints = async (account: Account, metricName: string, dimensions: string[]): Promise<Datapoint[]> => {
    const out = await cloudwatch(
      account,
      'get-metric-statistics',
      '--namespace',
      'AWSLicenseManager/licenseUsage',
      '--metric-name',
      metricName,
      '--dimensions',
      ...dimensions,
      '--start-time',
      started.toISOString(),
      '--end-time',
      new Date(Date.now() + 120_000).toISOString(),
      '--period',
      '60',
      '--statistics',
      'Maximum',
      'Minimum',
    );
    expect(out.stderr).toBe('');
    return [...out.json.Datapoints].sort(
      (a: Datapoint, b: Datapoint) => Date.parse(a.Timestamp) - Date.parse(b.Timestamp),
    );
  };
  const bySubscription = (name: string) => [`Name=SubscriptionName,Value=${name}`];
  const bySubscriptionIn = (name: string, region: string) => [...bySubscription(name), `Name=Region,Value=${region}`];
  /**
   * The metric's last one-minute period: a count that rose to its value within it has it as its
   * Maximum, one that fell to it as its Minimum (a period holds each change's count).
   */
  const last = async (account: Account, metricName: string, dimensions: string[]) =>
    (await datapoints(account, metricName, dimensions)).at(-1);
  const untilLast = (
    account: Account,
    metricName: string,
    dimensions: string[],
    statistic: 'Maximum' | 'Minimum',
    value: number,
  ) =>
    eventually(
      async () => (await last(account, metricName, dimensions))?.[statistic],
      (found) => found === value,
      // Four services apart (licensing's settings, linux-subscriptions' discovery, reporting's
      // counts, the CloudWatch API): under the whole suite's load the aggregate took over 30 s once.
      60_000,
    );

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("counts each account's running instances by subscription, and by subscription and Region", async () => {
    expect((await enableLinuxDiscovery(system, member, [EAST, WEST])).stderr).toBe('');
    await reportResources(system, [...memberEast, memberWest, memberSuseStopped, outsiders]);

    expect(await untilLast(member, 'RunningInstancesCount', bySubscription(RHEL), 'Maximum', 3)).toBe(3);
    expect((await last(member, 'RunningInstancesCount', bySubscriptionIn(RHEL, EAST)))?.Maximum).toBe(2);
    expect(await last(member, 'RunningInstancesCount', bySubscriptionIn(RHEL, WEST))).toMatchObject({
      Minimum: 1,
      Maximum: 1,
    });
    // A stopped instance is discovered, not counted; the outsider has no discovery: nothing of either.
    expect(await datapoints(member, 'RunningInstancesCount', bySubscription(SUSE))).toEqual([]);
    expect(await datapoints(accounts.outsider, 'RunningInstancesCount', bySubscription(RHEL))).toEqual([]);

    const listed = await cloudwatch(
      member,
      'list-metrics',
      '--namespace',
      'AWSLicenseManager/licenseUsage',
      '--metric-name',
      'RunningInstancesCount',
    );
    expect(
      listed.json.Metrics.map((m: { Dimensions: { Name: string; Value: string }[] }) =>
        m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(' '),
      ).sort(),
    ).toEqual([
      `SubscriptionName=${RHEL}`,
      `SubscriptionName=${RHEL} Region=${EAST}`,
      `SubscriptionName=${RHEL} Region=${WEST}`,
    ]);
  });

  it('follows instances that stop, start again and terminate', async () => {
    const [first, second] = memberEast;
    await reportResources(system, [{ ...first!, state: 'stopped' }]);
    expect(await untilLast(member, 'RunningInstancesCount', bySubscriptionIn(RHEL, EAST), 'Minimum', 1)).toBe(1);
    await reportResources(system, [
      { ...memberSuseStopped, state: 'running' },
      { ...second!, state: 'terminated' },
    ]);
    expect(await untilLast(member, 'RunningInstancesCount', bySubscription(SUSE), 'Maximum', 1)).toBe(1);
    expect(await untilLast(member, 'RunningInstancesCount', bySubscriptionIn(RHEL, EAST), 'Minimum', 0)).toBe(0);
    expect((await last(member, 'RunningInstancesCount', bySubscription(RHEL)))?.Minimum).toBe(1);
    // Every point of the series, in order: each change's count within its minute (one minute may hold several).
    const points = await datapoints(member, 'RunningInstancesCount', bySubscriptionIn(RHEL, EAST));
    expect(Math.max(...points.map((p) => p.Maximum))).toBe(2);
    expect(points.at(-1)).toMatchObject({ Minimum: 0 });
  });

  it("counts the organization's running instances in the management account's aggregate, which a member does not have", async () => {
    await reportResources(system, [managementOwn]);
    await licenseManager(system, management).send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }),
    );
    const settings = await enableOrganizationDiscovery(system, management, [EAST, WEST]);
    expect(settings.StatusMessage).toEqual({ [EAST]: 'Org-Onboard: Successful', [WEST]: 'Org-Onboard: Successful' });
    // The member's RHEL in us-west-2 and the management account's own: 2; the member's SUSE: 1.
    expect(await untilLast(management, 'AggregateRunningInstancesCount', bySubscription(RHEL), 'Maximum', 2)).toBe(2);
    expect((await last(management, 'AggregateRunningInstancesCount', bySubscription(SUSE)))?.Maximum).toBe(1);
    expect(await last(management, 'RunningInstancesCount', bySubscription(RHEL))).toMatchObject({
      Minimum: 1,
      Maximum: 1,
    });
    expect(await datapoints(member, 'AggregateRunningInstancesCount', bySubscription(RHEL))).toEqual([]);
    expect(await datapoints(accounts.outsider, 'AggregateRunningInstancesCount', bySubscription(RHEL))).toEqual([]);

    await reportResources(system, [{ ...memberWest, state: 'stopped' }]);
    // The gauges on the gateway's /metrics (which adds each replica's service and instance labels).
    // The current count: CloudWatch's Minimum of the minute may have been 1 already, before the
    // member's RHEL was counted in, when everything falls within one minute.
    const gauge = async (name: string, ...labels: string[]) =>
      (await (await fetch(`${system.endpoint}/metrics`)).text())
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
        .map((line) => Number(line.split(' ').pop()));
    const aggregateRhel = () =>
      gauge(
        'lm_aggregate_running_instances_count',
        `account_id="${management.accountId}"`,
        `subscription_name="${RHEL}"`,
      );
    expect(await eventually(aggregateRhel, (values) => values.length === 1 && values[0] === 1, 60_000)).toEqual([1]);
    expect((await last(management, 'AggregateRunningInstancesCount', bySubscription(RHEL)))?.Minimum).toBe(1);
    expect(
      await gauge(
        'lm_running_instances_count',
        `account_id="${member.accountId}"`,
        `subscription_name="${SUSE}"`,
        `region="${EAST}"`,
      ),
    ).toEqual([1]);
  }, 180_000);
});
