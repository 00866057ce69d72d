import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import {
  CreateLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, licenseManager } from '../support/clients';
import { reportResources } from '../support/inventory';
import { SnsReceiver } from '../support/sns-receiver';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';

const OWNER = accounts.management.accountId;
const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:license-alarms`;
const NAMESPACE = 'AWSLicenseManager/licenseUsage';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The JS SDK's CloudWatch client in each protocol the gateway serves (query answers lists in XML). */
const PROTOCOLS = { awsJson1_0: undefined, 'rpc-v2-cbor': AwsSmithyRpcV2CborProtocol, query: AwsQueryProtocol };
type Protocol = keyof typeof PROTOCOLS;

/** The state changes of an alarm the receiver was notified of, in the order they came. */
const transitions = (receiver: SnsReceiver, alarmName: string): string[] =>
  receiver.posts
    .filter((post) => post.message.AlarmName === alarmName)
    .map((post) => `${post.message.OldStateValue}->${post.message.NewStateValue}`);

async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: T;
  do {
    last = await read();
    if (done(last)) return last;
    await sleep(250);
  } while (Date.now() < deadline);
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

/** Waits for the next minute to begin: the alarm's newest period is the minute in progress. */
async function nextMinute(): Promise<void> {
  await sleep(60_000 - (Date.now() % 60_000) + 500);
}

describe('alarms: CloudWatch metric alarms on the usage metrics', () => {
  const receiver = new SnsReceiver();
  let system: RunningSystem;
  let dir: string;
  let configuration: string;
  let dimensions: Array<{ Name: string; Value: string }>;

  const cloudWatch = (protocol: Protocol = 'awsJson1_0', account = accounts.management) =>
    new CloudWatchClient({
      endpoint: system.endpoint,
      region: system.region,
      credentials: credentialsOf(account),
      maxAttempts: 1,
      ...(PROTOCOLS[protocol] ? { protocol: PROTOCOLS[protocol] } : {}),
    });
  const alarmsNamed = async (name: string, protocol: Protocol = 'query', account = accounts.management) =>
    (await cloudWatch(protocol, account).send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];

  beforeAll(async () => {
    await receiver.start();
    dir = mkdtempSync(join(tmpdir(), 'lm-alarms-'));
    const subscriptions = join(dir, 'subscriptions.json');
    writeFileSync(subscriptions, JSON.stringify({ [TOPIC]: [receiver.url] }));
    system = await startSystem({
      LM_SNS_SUBSCRIPTIONS: subscriptions,
      LM_ALARM_EVALUATION_MS: '500',
      LM_SNS_DELIVERY_SWEEP_MS: '200',
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes to ALARM when associations push usage over the threshold and back to OK when removed, notifying each change once', async () => {
    // The configuration's 0% at creation and the first evaluation must fall in one minute.
    if (Date.now() % 60_000 > 40_000) await nextMinute();
    const lm = licenseManager(system, accounts.management);
    configuration = (
      await lm.send(
        new CreateLicenseConfigurationCommand({ Name: 'Alarmed', LicenseCountingType: 'vCPU', LicenseCount: 8 }),
      )
    ).LicenseConfigurationArn!;
    dimensions = [
      { Name: 'LicenseConfigurationArn', Value: configuration },
      { Name: 'LicenseConfigurationType', Value: 'vCPU' },
    ];
    const put = await awsCli(system, accounts.management, [
      'cloudwatch',
      'put-metric-alarm',
      '--alarm-name',
      'usage-high',
      '--alarm-description',
      'Alarmed over 80%',
      '--namespace',
      NAMESPACE,
      '--metric-name',
      'LicenseConfigurationUsagePercentage',
      '--dimensions',
      `Name=LicenseConfigurationArn,Value=${configuration}`,
      'Name=LicenseConfigurationType,Value=vCPU',
      '--statistic',
      'Maximum',
      '--period',
      '60',
      '--evaluation-periods',
      '1',
      '--threshold',
      '80',
      '--comparison-operator',
      'GreaterThanOrEqualToThreshold',
      '--treat-missing-data',
      'ignore',
      '--alarm-actions',
      TOPIC,
      '--ok-actions',
      TOPIC,
    ]);
    expect(put.exitCode, put.stderr).toBe(0);
    const [created] = await alarmsNamed('usage-high');
    expect(created).toMatchObject({
      AlarmName: 'usage-high',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${OWNER}:alarm:usage-high`,
      Period: 60,
      Threshold: 80,
      TreatMissingData: 'ignore',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
    });
    await eventually(
      () => alarmsNamed('usage-high'),
      ([a]) => a?.StateValue === 'OK',
      'the first evaluation',
    );

    // Within that minute or the next: either period's Maximum is 100 once the instance is associated.
    const [instance] = await reportResources(system, [
      {
        accountId: OWNER,
        resourceId: 'i-0a1a2a3a4a5a6a7a8',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
        vCpuCount: 8,
        coreCount: 4,
        threadsPerCore: 2,
        tenancy: 'default',
      },
    ]);
    await lm.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: instance,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: configuration }],
      }),
    );
    const [alarm] = await eventually(
      () => alarmsNamed('usage-high', 'rpc-v2-cbor'),
      ([a]) => a?.StateValue === 'ALARM',
      'ALARM at 100%',
      60_000,
    );
    expect(alarm.StateReason).toMatch(
      /^Threshold Crossed: 1 datapoint \[100\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)\] was greater than or equal to the threshold \(80\.0\)\.$/,
    );
    expect(JSON.parse(alarm.StateReasonData!)).toMatchObject({
      statistic: 'Maximum',
      period: 60,
      recentDatapoints: [100],
    });

    await nextMinute();
    await lm.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: instance,
        RemoveLicenseSpecifications: [{ LicenseConfigurationArn: configuration }],
      }),
    );
    await eventually(
      () => alarmsNamed('usage-high'),
      ([a]) => a?.StateValue === 'OK',
      'OK at 0%',
      60_000,
    );
    await eventually(
      () => transitions(receiver, 'usage-high'),
      (t) => t.length >= 3,
      'the notifications',
    );
    // Many evaluations later, still one notification per change.
    await sleep(3_000);
    expect(transitions(receiver, 'usage-high')).toEqual(['INSUFFICIENT_DATA->OK', 'OK->ALARM', 'ALARM->OK']);
    const alarmed = receiver.posts.find((m) => m.message.NewStateValue === 'ALARM')!;
    expect(alarmed.body.Subject).toBe('ALARM: "usage-high" in us-east-1');
    expect(alarmed.message).toMatchObject({
      AlarmName: 'usage-high',
      AlarmDescription: 'Alarmed over 80%',
      AWSAccountId: OWNER,
      NewStateValue: 'ALARM',
      OldStateValue: 'OK',
      Region: 'us-east-1',
      StateChangeTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      Trigger: {
        MetricName: 'LicenseConfigurationUsagePercentage',
        Namespace: NAMESPACE,
        Statistic: 'MAXIMUM',
        Dimensions: expect.arrayContaining([{ name: 'LicenseConfigurationArn', value: configuration }]),
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 80,
      },
    });

    const history = await awsCli(system, accounts.management, [
      'cloudwatch',
      'describe-alarm-history',
      '--alarm-name',
      'usage-high',
      '--history-item-type',
      'StateUpdate',
    ]);
    expect(history.exitCode, history.stderr).toBe(0);
    expect(history.json.AlarmHistoryItems.map((i: any) => i.HistorySummary)).toEqual([
      'Alarm updated from ALARM to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from INSUFFICIENT_DATA to OK',
    ]);
    const listed = await awsCli(system, accounts.management, ['cloudwatch', 'describe-alarms', '--state-value', 'OK']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.json.MetricAlarms.map((a: any) => a.AlarmName)).toEqual(['usage-high']);
  }, 300_000);

  it('answers each protocol, scoped to the caller: another account sees and changes nothing of it', async () => {
    for (const protocol of Object.keys(PROTOCOLS) as Protocol[]) {
      const forMetric = await cloudWatch(protocol).send(
        new DescribeAlarmsForMetricCommand({
          Namespace: NAMESPACE,
          MetricName: 'LicenseConfigurationUsagePercentage',
          Dimensions: dimensions,
        }),
      );
      expect(
        forMetric.MetricAlarms?.map((a) => a.AlarmName),
        protocol,
      ).toEqual(['usage-high']);
      const history = await cloudWatch(protocol).send(
        new DescribeAlarmHistoryCommand({ AlarmName: 'usage-high', MaxRecords: 2, ScanBy: 'TimestampAscending' }),
      );
      expect(
        history.AlarmHistoryItems?.map((i) => i.HistoryItemType),
        protocol,
      ).toEqual(['ConfigurationUpdate', 'StateUpdate']);
      const next = await cloudWatch(protocol).send(
        new DescribeAlarmHistoryCommand({
          AlarmName: 'usage-high',
          MaxRecords: 2,
          ScanBy: 'TimestampAscending',
          NextToken: history.NextToken,
        }),
      );
      expect(next.AlarmHistoryItems?.[0].HistorySummary, protocol).toBe('Alarm updated from OK to ALARM');
      expect(await alarmsNamed('usage-high', protocol, accounts.member), protocol).toEqual([]);
    }
    const script = join(__dirname, 'alarms-boto3.py');
    expect(JSON.parse(await boto3Script(system, accounts.management, script))).toEqual({
      alarms: [['usage-high', 'OK']],
      history: {
        'usage-high': [
          'Alarm updated from INSUFFICIENT_DATA to OK',
          'Alarm updated from OK to ALARM',
          'Alarm updated from ALARM to OK',
        ],
      },
    });
    expect(JSON.parse(await boto3Script(system, accounts.member, script))).toEqual({ alarms: [], history: {} });
    const member = cloudWatch('awsJson1_0', accounts.member);
    await expect(
      member.send(new SetAlarmStateCommand({ AlarmName: 'usage-high', StateValue: 'ALARM', StateReason: 'x' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await expect(member.send(new DeleteAlarmsCommand({ AlarmNames: ['usage-high'] }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
    expect(await alarmsNamed('usage-high')).toHaveLength(1);
  });

  it('SetAlarmState notifies; with actions disabled a change is recorded and nothing is sent', async () => {
    const owner = cloudWatch('query');
    const before = receiver.posts.length;
    await owner.send(
      new SetAlarmStateCommand({ AlarmName: 'usage-high', StateValue: 'ALARM', StateReason: 'testing' }),
    );
    await eventually(
      () => receiver.posts.length,
      (n) => n > before,
      'the SetAlarmState notification',
    );
    expect(receiver.posts[before].message).toMatchObject({
      OldStateValue: 'OK',
      NewStateValue: 'ALARM',
      NewStateReason: 'testing',
    });
    await owner.send(new DisableAlarmActionsCommand({ AlarmNames: ['usage-high', 'no-such-alarm'] }));
    expect((await alarmsNamed('usage-high'))[0].ActionsEnabled).toBe(false);
    // An evaluation may have set it back to OK by the data before actions were disabled: let that
    // change's notification arrive, then change the state either way.
    await sleep(2_000);
    const [disabled] = await alarmsNamed('usage-high');
    const target = disabled.StateValue === 'ALARM' ? 'OK' : 'ALARM';
    const sent = receiver.posts.length;
    await owner.send(new SetAlarmStateCommand({ AlarmName: 'usage-high', StateValue: target, StateReason: 'quiet' }));
    const history = await owner.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'usage-high', HistoryItemType: 'StateUpdate', MaxRecords: 5 }),
    );
    expect(history.AlarmHistoryItems?.map((i) => i.HistorySummary)).toContain(
      `Alarm updated from ${disabled.StateValue} to ${target}`,
    );
    await sleep(2_000);
    expect(receiver.posts.length).toBe(sent);
    await owner.send(new EnableAlarmActionsCommand({ AlarmNames: ['usage-high'] }));
    expect((await alarmsNamed('usage-high'))[0].ActionsEnabled).toBe(true);
  });

  it('refuses bad input with the modeled errors, storing nothing', async () => {
    const client = cloudWatch('awsJson1_0');
    const valid: PutMetricAlarmCommandInput = {
      AlarmName: 'refused',
      Namespace: NAMESPACE,
      MetricName: 'LicenseConfigurationUsagePercentage',
      Dimensions: dimensions,
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    };
    const refusals: Array<[Partial<PutMetricAlarmCommandInput>, RegExp]> = [
      [{ Period: 30 }, /multiple of 60/],
      [{ DatapointsToAlarm: 3 }, /DatapointsToAlarm/],
      [{ TreatMissingData: 'sometimes' }, /TreatMissingData/],
      [{ ExtendedStatistic: 'p99' }, /Exactly one of Statistic and ExtendedStatistic/],
      [{ AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] }, /only SNS topic ARNs/],
      [{ Threshold: undefined }, /Threshold is required/],
    ];
    for (const [change, message] of refusals)
      await expect(
        client.send(new PutMetricAlarmCommand({ ...valid, ...change })),
        JSON.stringify(change),
      ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(message) });
    expect(await alarmsNamed('refused')).toEqual([]);
    const cli = await awsCli(system, accounts.management, [
      'cloudwatch',
      'put-metric-alarm',
      '--alarm-name',
      'refused',
      '--namespace',
      NAMESPACE,
      '--metric-name',
      'LicenseConfigurationUsagePercentage',
      '--statistic',
      'Maximum',
      '--period',
      '45',
      '--evaluation-periods',
      '1',
      '--threshold',
      '1',
      '--comparison-operator',
      'GreaterThanThreshold',
    ]);
    expect(cli.exitCode).not.toBe(0);
    expect(cli.stderr).toMatch(/ValidationError.*multiple of 60/);

    const query = cloudWatch('query');
    await expect(
      query.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(query.send(new DescribeAlarmsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'InvalidNextToken',
    });
    await expect(client.send(new DescribeAlarmHistoryCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'InvalidNextToken',
    });
    await expect(
      client.send(new DeleteAlarmsCommand({ AlarmNames: ['usage-high', 'no-such-alarm'] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
    expect(await alarmsNamed('usage-high')).toHaveLength(1);
    await expect(
      client.send(
        new SetAlarmStateCommand({
          AlarmName: 'usage-high',
          StateValue: 'OK',
          StateReason: 'x',
          StateReasonData: '{not json',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidFormatFault' });

    await client.send(new DeleteAlarmsCommand({ AlarmNames: ['usage-high'] }));
    expect(await alarmsNamed('usage-high')).toEqual([]);
    const deleted = await client.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'usage-high', HistoryItemType: 'ConfigurationUpdate' }),
    );
    expect(deleted.AlarmHistoryItems?.[0].HistorySummary).toBe('Alarm "usage-high" deleted');
  });
});
