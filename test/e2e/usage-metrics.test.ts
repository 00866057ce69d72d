import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type Dimension,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { eventsStreamName } from '@lm/messaging';
import { connect } from 'nats';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager, rawRequest } from '../support/clients';
import { reportResources, type ObservedResource } from '../support/inventory';
import { samplesIn, statisticsPerMinute } from '../support/metric-statistics';
import { requireBoto3 } from '../support/required-tools';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';

const NAMESPACE = 'AWSLicenseManager/licenseUsage';
const OWNER = accounts.management.accountId;
let counter = 0;
const instance = (vCpuCount: number): ObservedResource => ({
  accountId: OWNER,
  resourceId: `i-${(++counter).toString(16).padStart(17, 'c')}`,
  resourceType: 'EC2_INSTANCE',
  state: 'running',
  vCpuCount,
  coreCount: vCpuCount / 2,
  threadsPerCore: 2,
  tenancy: 'default',
});

/**
 * The protocols of CloudWatch's model, as the JS SDK speaks them: its default (awsJson1_0, what
 * this SDK version and the installed botocore send), RPC v2 CBOR (the model's first protocol, what
 * newer clients send) and the query protocol (what older ones send).
 */
const PROTOCOLS = {
  awsJson1_0: undefined,
  'rpc-v2-cbor': AwsSmithyRpcV2CborProtocol,
  query: AwsQueryProtocol,
} as const;
type Protocol = keyof typeof PROTOCOLS;

/** The official JS SDK CloudWatch client in one of the protocols, without retries so that every error shows. */
function cloudWatch(system: RunningSystem, protocol: Protocol = 'rpc-v2-cbor', account = accounts.management) {
  return new CloudWatchClient({
    endpoint: system.endpoint,
    region: system.region,
    credentials: credentialsOf(account),
    maxAttempts: 1,
    ...(PROTOCOLS[protocol] ? { protocol: PROTOCOLS[protocol] } : {}),
  });
}

/**
 * Every sample of this suite's scenario must fall in one clock hour, or an hourly data point
 * (the guide's cadence) would join the statistics asserted below: near the end of an hour, wait
 * for the next.
 */
async function clearOfHourEnd(): Promise<void> {
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 150_000) await new Promise((resolve) => setTimeout(resolve, 3_600_000 - intoHour + 1_000));
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  withinMs = 20_000,
): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + withinMs; Date.now() < deadline;) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

describe('usage metrics: CloudWatch data points of licensing events', () => {
  let system: RunningSystem;
  let sqlServer: string;
  let agents: string;
  let dimensionsA: Dimension[];
  let start: Date;
  let end: Date;

  const statistics = (metricName: string, Dimensions: Dimension[], protocol: Protocol = 'rpc-v2-cbor') =>
    cloudWatch(system, protocol).send(
      new GetMetricStatisticsCommand({
        Namespace: NAMESPACE,
        MetricName: metricName,
        Dimensions,
        StartTime: start,
        EndTime: end,
        Period: 3600,
        Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'],
      }),
    );

  beforeAll(async () => {
    await clearOfHourEnd();
    // The last test's kill -9 leaves events unacknowledged: they come again after 5 s rather than 30 s.
    system = await startSystem({ LM_CONSUMER_ACK_WAIT_MS: '5000' });
    const lm = licenseManager(system, accounts.management);
    start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    sqlServer = (
      await lm.send(
        new CreateLicenseConfigurationCommand({ Name: 'SQL Server', LicenseCountingType: 'vCPU', LicenseCount: 48 }),
      )
    ).LicenseConfigurationArn!;
    agents = (await lm.send(new CreateLicenseConfigurationCommand({ Name: 'Agents', LicenseCountingType: 'Instance' })))
      .LicenseConfigurationArn!;
    dimensionsA = [
      { Name: 'LicenseConfigurationType', Value: 'vCPU' },
      { Name: 'LicenseConfigurationArn', Value: sqlServer },
    ];
    const [small, large] = await reportResources(system, [instance(4), instance(8)]);
    const specify = (ResourceArn: string, add: string[], remove: string[] = []) =>
      lm.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn,
          ...(add.length
            ? { AddLicenseSpecifications: add.map((LicenseConfigurationArn) => ({ LicenseConfigurationArn })) }
            : {}),
          ...(remove.length
            ? { RemoveLicenseSpecifications: remove.map((LicenseConfigurationArn) => ({ LicenseConfigurationArn })) }
            : {}),
        }),
      );
    // SQL Server (vCPU, 48): 0 at creation, 4, 12, then 8 once the small instance leaves it.
    // Agents (Instance, no count): 0, then 1.
    await specify(small, [sqlServer]);
    await specify(large, [sqlServer, agents]);
    await specify(small, [], [sqlServer]);
    end = new Date(start.getTime() + 3_600_000);
    await eventually(
      () => statistics('LicenseConfigurationUsageCount', dimensionsA),
      (out) => out.Datapoints?.[0]?.SampleCount === 4,
      'the usage of SQL Server',
    );
    // The system's start and the scenario's set-up after waiting out an hour's end (up to 151 s).
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
  });

  it.each(Object.keys(PROTOCOLS) as Protocol[])(
    'follows the scenario exactly through the JS SDK in %s',
    async (protocol) => {
      const used = await statistics('LicenseConfigurationUsageCount', dimensionsA, protocol);
      expect(used.Label).toBe('LicenseConfigurationUsageCount');
      expect(used.Datapoints).toEqual([
        { Timestamp: start, SampleCount: 4, Sum: 24, Minimum: 0, Maximum: 12, Average: 6, Unit: 'Count' },
      ]);
    },
  );

  it('keeps the percentage, the count, and the configuration without a count apart', async () => {
    const share = await statistics('LicenseConfigurationUsagePercentage', dimensionsA);
    // 0, 4, 12 and 8 of 48 licences: 0, 8.33..., 25 and 16.66...%.
    expect(share.Datapoints?.map((d) => [d.Timestamp, d.SampleCount, d.Minimum, d.Maximum, d.Unit])).toEqual([
      [start, 4, 0, 25, 'Percent'],
    ]);
    expect(share.Datapoints?.[0].Sum).toBeCloseTo(50, 9);
    expect(share.Datapoints?.[0].Average).toBeCloseTo(12.5, 9);
    const total = await statistics('TotalLicenseConfigurationUsageCount', dimensionsA);
    expect(total.Datapoints?.map((d) => [d.Minimum, d.Maximum, d.Unit])).toEqual([[48, 48, 'Count']]);
    const agentDimensions = [
      { Name: 'LicenseConfigurationArn', Value: agents },
      { Name: 'LicenseConfigurationType', Value: 'Instance' },
    ];
    const agentsUsed = await eventually(
      () => statistics('LicenseConfigurationUsageCount', agentDimensions),
      (out) => out.Datapoints?.[0]?.SampleCount === 2,
      'the usage of Agents',
    );
    expect(agentsUsed.Datapoints?.map((d) => [d.Minimum, d.Maximum])).toEqual([[0, 1]]);
    // No count, no total or percentage.
    expect((await statistics('LicenseConfigurationUsagePercentage', agentDimensions)).Datapoints).toEqual([]);
    // A subset of the dimensions names another metric, which has no data.
    expect((await statistics('LicenseConfigurationUsageCount', dimensionsA.slice(1))).Datapoints).toEqual([]);
  });

  it('answers GetMetricData with metric math through the JS SDK', async () => {
    const stat = (Id: string, MetricName: string, Stat: string, ReturnData = true) => ({
      Id,
      ReturnData,
      MetricStat: { Metric: { Namespace: NAMESPACE, MetricName, Dimensions: dimensionsA }, Period: 3600, Stat },
    });
    const out = await cloudWatch(system).send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          stat('peak', 'LicenseConfigurationUsageCount', 'Maximum'),
          stat('count', 'TotalLicenseConfigurationUsageCount', 'Maximum', false),
          { Id: 'share', Expression: 'peak/count*100', Label: 'peak share' },
        ],
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Label, r.Values, r.Timestamps, r.StatusCode])).toEqual([
      ['peak', 'LicenseConfigurationUsageCount', [12], [start], 'Complete'],
      ['share', 'peak share', [25], [start], 'Complete'],
    ]);
  });

  it('lists the metrics of the caller only (AWS CLI, awsJson1_0)', async () => {
    const listed = await awsCli(system, accounts.management, ['cloudwatch', 'list-metrics', '--namespace', NAMESPACE]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const names = (listed.json.Metrics as { MetricName: string; Dimensions: Dimension[] }[])
      .map((m) => `${m.MetricName} ${m.Dimensions.find((d) => d.Name === 'LicenseConfigurationArn')!.Value}`)
      .sort();
    expect(names).toEqual(
      [
        `LicenseConfigurationUsageCount ${agents}`,
        `LicenseConfigurationUsageCount ${sqlServer}`,
        `LicenseConfigurationUsagePercentage ${sqlServer}`,
        `TotalLicenseConfigurationUsageCount ${sqlServer}`,
      ].sort(),
    );
    const member = await awsCli(system, accounts.member, ['cloudwatch', 'list-metrics', '--namespace', NAMESPACE]);
    expect(member.json).toEqual({ Metrics: [] });
    const filtered = await cloudWatch(system).send(
      new ListMetricsCommand({
        Namespace: NAMESPACE,
        Dimensions: [{ Name: 'LicenseConfigurationType', Value: 'Instance' }],
      }),
    );
    expect(filtered.Metrics?.map((m) => m.MetricName)).toEqual(['LicenseConfigurationUsageCount']);
  });

  it('answers aws cloudwatch get-metric-statistics unchanged, and another account sees nothing', async () => {
    const args = (account = accounts.management) =>
      awsCli(system, account, [
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        NAMESPACE,
        '--metric-name',
        'LicenseConfigurationUsagePercentage',
        '--dimensions',
        `Name=LicenseConfigurationArn,Value=${sqlServer}`,
        'Name=LicenseConfigurationType,Value=vCPU',
        '--start-time',
        start.toISOString(),
        '--end-time',
        end.toISOString(),
        '--period',
        '3600',
        '--statistics',
        'Maximum',
        'Minimum',
      ]);
    const owner = await args();
    expect(owner.exitCode, owner.stderr).toBe(0);
    expect(owner.json.Datapoints).toEqual([
      // The CLI prints timestamps as they travel (awsJson1_0: epoch seconds).
      { Timestamp: start.getTime() / 1000, Maximum: 25, Minimum: 0, Unit: 'Percent' },
    ]);
    expect((await args(accounts.outsider)).json.Datapoints).toEqual([]);
  });

  it('answers boto3 with metric math over two metrics', async () => {
    await requireBoto3();
    const { accessKeyId, secretAccessKey } = credentialsOf(accounts.management);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        'python3',
        [
          join(__dirname, 'usage-metrics-boto3.py'),
          system.endpoint,
          system.region,
          sqlServer,
          'vCPU',
          String(start.getTime() / 1000),
          String(end.getTime() / 1000),
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_ACCESS_KEY_ID: accessKeyId,
            AWS_SECRET_ACCESS_KEY: secretAccessKey,
            AWS_CONFIG_FILE: '/dev/null',
          },
          timeout: 60_000,
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    expect(JSON.parse(stdout)).toEqual({
      results: [{ Id: 'share', Label: 'share of the count', Values: [25], StatusCode: 'Complete' }],
      metricNames: [
        'LicenseConfigurationUsageCount',
        'LicenseConfigurationUsagePercentage',
        'TotalLicenseConfigurationUsageCount',
      ],
    });
  });

  it('answers the query protocol in XML', async () => {
    const form = new URLSearchParams({
      Action: 'GetMetricStatistics',
      Version: '2010-08-01',
      Namespace: NAMESPACE,
      MetricName: 'LicenseConfigurationUsageCount',
      'Dimensions.member.1.Name': 'LicenseConfigurationArn',
      'Dimensions.member.1.Value': sqlServer,
      'Dimensions.member.2.Name': 'LicenseConfigurationType',
      'Dimensions.member.2.Value': 'vCPU',
      StartTime: start.toISOString(),
      EndTime: end.toISOString(),
      Period: '3600',
      'Statistics.member.1': 'Maximum',
    });
    const response = await rawRequest(system, {
      service: 'monitoring',
      account: accounts.management,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form.toString(),
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain(
      `<Datapoints><member><Timestamp>${start.toISOString().replace('.000Z', 'Z')}</Timestamp><Maximum>12</Maximum><Unit>Count</Unit></member></Datapoints>`,
    );
    const bad = await rawRequest(system, {
      service: 'monitoring',
      account: accounts.management,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ ...Object.fromEntries(form), Period: '90' }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>InvalidParameterValue</Code>');
  });

  it('refuses bad input with the modeled errors, malformed CBOR included', async () => {
    const client = cloudWatch(system);
    const refused = async (command: Parameters<CloudWatchClient['send']>[0]) =>
      client.send(command).then(
        () => undefined,
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => [error.name, error.$metadata?.httpStatusCode],
      );
    const base = { Namespace: NAMESPACE, MetricName: 'LicenseConfigurationUsageCount', StartTime: start, EndTime: end };
    expect(await refused(new GetMetricStatisticsCommand({ ...base, Period: 90, Statistics: ['Maximum'] }))).toEqual([
      'InvalidParameterValueException',
      400,
    ]);
    expect(await refused(new GetMetricStatisticsCommand({ ...base, Period: 60 }))).toEqual([
      'InvalidParameterCombinationException',
      400,
    ]);
    expect(
      await refused(
        new GetMetricStatisticsCommand({
          ...base,
          StartTime: new Date(start.getTime() - 2 * 86_400_000),
          Period: 60,
          Statistics: ['Maximum'],
        }),
      ),
    ).toEqual(['InvalidParameterCombinationException', 400]);
    expect(
      await refused(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [{ Id: 'x', Expression: 'SUM(m1)' }],
        }),
      ),
    ).toEqual(['ValidationError', 400]);

    // The SDK's own CBOR body, replaced by a truncated map before it is signed: the gateway cannot read it.
    const broken = cloudWatch(system, 'rpc-v2-cbor');
    broken.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: unknown; headers: Record<string, string> };
        request.body = Uint8Array.of(0xa2, 0x61);
        request.headers['content-length'] = '2';
        return next(args);
      },
      { step: 'build', name: 'truncateBody', priority: 'low' },
    );
    expect(
      await broken.send(new ListMetricsCommand({ Namespace: NAMESPACE })).then(
        () => undefined,
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => [error.name, error.$metadata?.httpStatusCode],
      ),
    ).toEqual(['SerializationException', 400]);
  });

  it('shows the same gauges on the gateway /metrics, labelled with the dimensions', async () => {
    const text = await (await fetch(`${system.endpoint}/metrics`)).text();
    const series = (name: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && line.includes(`license_configuration_arn="${sqlServer}"`))
        .map((line) => [
          line.includes(`account_id="${OWNER}"`),
          line.includes('license_configuration_type="vCPU"'),
          Number(line.split(' ').pop()),
        ]);
    expect(series('lm_license_configuration_usage_count')).toEqual([[true, true, 8]]);
    expect(series('lm_license_configuration_total_usage_count')).toEqual([[true, true, 48]]);
    expect(series('lm_license_configuration_usage_percentage')[0][2]).toBeCloseTo(16.667, 3);
  });

  it('rebuilds exactly the same statistics when the events are replayed from the beginning', async () => {
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    const statistics = () => statisticsPerMinute(system.databaseUrl);
    try {
      const before = await statistics();
      // Every sample written so far, however the batches merged them into points.
      expect(samplesIn(before)).toBe(14);
      await system.kill('reporting', 'SIGKILL');
      const nc = await connect({ servers: process.env.NATS_URL });
      await (
        await nc.jetstreamManager()
      ).consumers.delete(eventsStreamName(system.natsNamespace), 'reporting-licensing-events');
      await nc.close();
      await db.query(`delete from reporting.processed_events where consumer = 'reporting-usage-metrics'`);
      await db.query(
        'truncate reporting.metric_points, reporting.usage_configurations, reporting.usage_configuration_associations',
      );
      await system.restart('reporting');
      // Replayed in other batches than they first came in: the points may be merged otherwise, never the statistics.
      const after = await eventually(statistics, (rows) => isDeepStrictEqual(rows, before), 'the replay');
      expect(after).toEqual(before);
    } finally {
      await db.end();
    }
  });
  it('counts every event once when reporting is killed with SIGKILL in the middle of the stream', async () => {
    const lm = licenseManager(system, accounts.management);
    const fleet = (
      await lm.send(new CreateLicenseConfigurationCommand({ Name: 'Fleet', LicenseCountingType: 'Instance' }))
    ).LicenseConfigurationArn!;
    const resources = await reportResources(
      system,
      Array.from({ length: 24 }, () => instance(2)),
    );
    const associate = async (from: number, to: number) => {
      for (const ResourceArn of resources.slice(from, to)) {
        await lm.send(
          new UpdateLicenseSpecificationsForResourceCommand({
            ResourceArn,
            AddLicenseSpecifications: [{ LicenseConfigurationArn: fleet }],
          }),
        );
      }
    };
    await associate(0, 8);
    // Killed while the next associations' events are published, and down for a while.
    const killing = system.kill('reporting', 'SIGKILL').then(() => new Promise((r) => setTimeout(r, 1_000)));
    await associate(8, 16);
    await killing;
    await system.restart('reporting');
    await associate(16, 24);
    const dimensions = [
      { Name: 'LicenseConfigurationArn', Value: fleet },
      { Name: 'LicenseConfigurationType', Value: 'Instance' },
    ];
    // One sample at the creation and one per association: 25, whatever was redelivered. The event
    // the killed replica had not acknowledged comes back after JetStream's ack wait (5 s here).
    const used = await eventually(
      () => statistics('LicenseConfigurationUsageCount', dimensions),
      (out) => out.Datapoints?.[0]?.Maximum === 24,
      'the usage of Fleet',
      60_000,
    );
    // Then until JetStream holds nothing for the consumer (any redelivery has been answered).
    const nc = await connect({ servers: process.env.NATS_URL });
    const jsm = await nc.jetstreamManager();
    await eventually(
      () => jsm.consumers.info(eventsStreamName(system.natsNamespace), 'reporting-licensing-events'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      'the consumer to settle',
      60_000,
    );
    await nc.close();
    const settled = await statistics('LicenseConfigurationUsageCount', dimensions);
    expect(settled.Datapoints).toEqual(used.Datapoints);
    expect(used.Datapoints?.map((d) => [d.SampleCount, d.Minimum, d.Maximum, d.Sum])).toEqual([
      [25, 0, 24, (24 * 25) / 2],
    ]);
  }, 120_000);
});
