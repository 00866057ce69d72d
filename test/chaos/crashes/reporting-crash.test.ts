import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import type { DomainEventMessage } from '@lm/contracts';
import { eventsStreamName } from '@lm/messaging';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager } from '../../support/clients';
import { backlogOf, eventsNotApplied, type DurableConsumer } from '../../support/consumer-backlog';
import { withSystemDatabase } from '../../support/crash';
import { reportResources, type ObservedResource } from '../../support/inventory';
import { SnsReceiver, type SnsPost } from '../../support/sns-receiver';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../../support/system';

const OWNER = accounts.management.accountId;
const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:aws-license-manager-service-alerts`;
const CONFIGURATIONS = 5;
const INSTANCES_PER_CONFIGURATION = 6;
const VCPUS = 2;
/**
 * Each configuration has an alarm for each number of associations it will have, going to ALARM
 * once it has that many: every association of the stream passes the soft limit and moves one alarm.
 */
const ALARM_STEPS = Array.from({ length: INSTANCES_PER_CONFIGURATION }, (_, i) => i + 1);
const PAUSE_BETWEEN_ROUNDS_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reporting's handlers of licensing's events, which share a consumer: soft limits to notify, usage to measure (which alarms watch). */
const NOTIFICATIONS: DurableConsumer = {
  durableName: 'reporting-licensing-events',
  ledgerName: 'reporting-notifications-licensing',
  filter: 'events.licensing.>',
  schema: 'reporting',
};
const USAGE_METRICS: DurableConsumer = {
  durableName: 'reporting-licensing-events',
  ledgerName: 'reporting-usage-metrics',
  filter: 'events.licensing.>',
  schema: 'reporting',
};
const ALARM_ACTIONS: DurableConsumer = {
  durableName: 'reporting-alarm-actions',
  filter: 'events.reporting.AlarmStateChanged',
  schema: 'reporting',
};

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await sleep(250);
  }
}

const alarmName = (configuration: number, step: number) => `usage-${configuration}-reaches-${step}`;

describe('kill -9 of reporting while soft-limit notifications and alarm actions are in flight', () => {
  const receivers = [new SnsReceiver(), new SnsReceiver()];
  let system: RunningSystem;
  let lm: LicenseManagerClient;
  let cloudWatch: CloudWatchClient;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let dir: string;

  beforeAll(async () => {
    for (const receiver of receivers) await receiver.start();
    dir = mkdtempSync(join(tmpdir(), 'lm-reporting-crash-'));
    const subscriptions = join(dir, 'subscriptions.json');
    writeFileSync(subscriptions, JSON.stringify({ [TOPIC]: receivers.map((receiver) => receiver.url) }));
    system = await startSystem({
      LM_SNS_SUBSCRIPTIONS: subscriptions,
      LM_ALARM_EVALUATION_MS: '500',
      LM_SNS_DELIVERY_SWEEP_MS: '200',
      LM_SNS_RETRY_BASE_MS: '300',
      LM_SNS_RETRY_MAX_MS: '1000',
      // A delivery cut off by the kill is sent again once its claim (twice this) has run out.
      LM_SNS_DELIVERY_TIMEOUT_MS: '2000',
      // The events the killed process held come again after 5 s rather than the default 30 s.
      LM_CONSUMER_ACK_WAIT_MS: '5000',
    });
    lm = licenseManager(system, accounts.management);
    cloudWatch = new CloudWatchClient({
      endpoint: system.endpoint,
      region: system.region,
      credentials: credentialsOf(accounts.management),
      maxAttempts: 1,
    });
    nc = await connect({ servers: process.env.NATS_URL });
    jsm = await nc.jetstreamManager();
    const settings = await awsCli(system, accounts.management, [
      'license-manager',
      'update-service-settings',
      '--sns-topic-arn',
      TOPIC,
    ]);
    expect(settings.exitCode, settings.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await system?.stop();
    for (const receiver of receivers) await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Holds reporting's consumers in the middle of their work, as a slow database would: a lock on
   * their processed-events ledger, whose row is the first write of the transaction that applies an
   * event, keeps each transaction waiting with its events in hand, unacknowledged. Reads go on.
   */
  async function holdReportingConsumers(): Promise<{ release(): Promise<void> }> {
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    await db.query('begin');
    await db.query('lock table reporting.processed_events in share mode');
    return {
      async release() {
        await db.query('rollback');
        await db.end();
      },
    };
  }

  /**
   * Waits, while `streaming()`, until both of reporting's consumers of licensing's events have at
   * least `count` events waiting for them or in hand; then the events stream's last sequence.
   */
  async function backlogOfBoth(count: number, streaming: () => boolean): Promise<number> {
    while (streaming()) {
      const backlogs = await Promise.all([NOTIFICATIONS, USAGE_METRICS].map((c) => backlogOf(jsm, system, c)));
      if (backlogs.every((backlog) => backlog >= count))
        return (await jsm.streams.info(eventsStreamName(system.natsNamespace))).state.last_seq;
      await sleep(20);
    }
    throw new Error(`reporting's consumers never had ${count} events waiting while the stream ran`);
  }

  it('delivers every notification of the stream to each subscriber once, and records each alarm transition once', async () => {
    // Configurations with a soft limit of one vCPU: every association passes it (LicenseCountExceeded).
    const configurations: string[] = [];
    for (let c = 0; c < CONFIGURATIONS; c++) {
      const created = await lm.send(
        new CreateLicenseConfigurationCommand({
          Name: `soft-${c}`,
          LicenseCountingType: 'vCPU',
          LicenseCount: 1,
          LicenseCountHardLimit: false,
        }),
      );
      configurations.push(created.LicenseConfigurationArn!);
    }
    for (const [c, arn] of configurations.entries()) {
      for (const step of ALARM_STEPS) {
        await cloudWatch.send(
          new PutMetricAlarmCommand({
            AlarmName: alarmName(c, step),
            Namespace: 'AWSLicenseManager/licenseUsage',
            MetricName: 'LicenseConfigurationUsageCount',
            Dimensions: [
              { Name: 'LicenseConfigurationArn', Value: arn },
              { Name: 'LicenseConfigurationType', Value: 'vCPU' },
            ],
            Statistic: 'Maximum',
            // Any of the last five minutes: a point the restarted reporting applies late still counts.
            Period: 60,
            EvaluationPeriods: 5,
            DatapointsToAlarm: 1,
            Threshold: step * VCPUS,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            TreatMissingData: 'ignore',
            AlarmActions: [TOPIC],
          }),
        );
      }
    }
    const alarmCount = CONFIGURATIONS * ALARM_STEPS.length;
    const stateCounts = async () => {
      const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'usage-' }));
      const counts: Record<string, number> = {};
      for (const alarm of MetricAlarms) counts[alarm.StateValue!] = (counts[alarm.StateValue!] ?? 0) + 1;
      return counts;
    };
    // Each alarm evaluated on its configuration's first point (0 in use) before the stream starts.
    await eventually(stateCounts, (counts) => counts.OK === alarmCount, 'every alarm OK', 30_000);

    let counter = 0;
    const instance = (): ObservedResource => ({
      accountId: OWNER,
      resourceId: `i-${(++counter).toString(16).padStart(17, 'c')}`,
      resourceType: 'EC2_INSTANCE',
      state: 'running',
      vCpuCount: VCPUS,
      coreCount: VCPUS / 2,
      threadsPerCore: 2,
      tenancy: 'default',
    });
    const instances = await reportResources(
      system,
      Array.from({ length: CONFIGURATIONS * INSTANCES_PER_CONFIGURATION }, instance),
    );
    /** Round r associates one more instance with every configuration, all at once. */
    const rounds = Array.from({ length: INSTANCES_PER_CONFIGURATION }, (_, r) =>
      configurations.map((configuration, c) => ({
        configuration,
        resource: instances[c * INSTANCES_PER_CONFIGURATION + r],
      })),
    );
    /** The alarm each association moves (by its resource, associated once): its configuration's step-th. */
    const alarmMovedBy = new Map(
      configurations.flatMap((_, c) => ALARM_STEPS.map((step) => [rounds[step - 1][c].resource, alarmName(c, step)])),
    );
    /** When each association was acknowledged, by its resource. */
    const acknowledgedAt = new Map<string, number>();
    let roundsDone = 0;
    const stream = (async () => {
      for (const round of rounds) {
        await Promise.all(
          round.map(async ({ configuration, resource }) => {
            await lm.send(
              new UpdateLicenseSpecificationsForResourceCommand({
                ResourceArn: resource,
                AddLicenseSpecifications: [{ LicenseConfigurationArn: configuration }],
              }),
            );
            acknowledgedAt.set(resource, Date.now());
          }),
        );
        roundsDone++;
        await sleep(PAUSE_BETWEEN_ROUNDS_MS);
      }
    })();
    stream.catch(() => undefined);

    // Killed with a round of events (an association and a soft limit passed for each configuration)
    // in the hands of, or waiting for, both consumers of licensing's events; rounds are left for
    // the outage.
    while (roundsDone < 1) await sleep(10);
    const held = await holdReportingConsumers();
    const { lastSequence, killedAt } = await (async () => {
      try {
        const last = await backlogOfBoth(2 * CONFIGURATIONS, () => roundsDone < rounds.length - 2);
        const at = Date.now();
        await system.kill('reporting', 'SIGKILL');
        return { lastSequence: last, killedAt: at };
      } finally {
        await held.release();
      }
    })();
    // The crash hit live traffic: soft limits passed and associations (each moving an alarm) that
    // JetStream held for reporting before the kill, not yet applied by its consumers.
    const resourcesOf = (events: DomainEventMessage[]) => events.map((event) => String(event.data.resourceArn));
    const softLimitsCaught = resourcesOf(
      await eventsNotApplied(jsm, system, NOTIFICATIONS, lastSequence, ['LicenseCountExceeded']),
    );
    const alarmsCaught = resourcesOf(
      await eventsNotApplied(jsm, system, USAGE_METRICS, lastSequence, ['ResourceAssociated']),
    ).map((resource) => alarmMovedBy.get(resource));
    expect(softLimitsCaught.length).toBeGreaterThan(0);
    expect(alarmsCaught.length).toBeGreaterThan(0);
    await sleep(1_000);
    await system.restart('reporting');
    const restartedAt = Date.now();
    await stream;
    // The stream went on while reporting was down, and every association of it was acknowledged.
    expect([...acknowledgedAt.values()].some((at) => at > killedAt && at < restartedAt)).toBe(true);
    expect(acknowledgedAt.size).toBe(CONFIGURATIONS * INSTANCES_PER_CONFIGURATION);

    // Settled: every alarm in ALARM, every notification delivered to each subscriber (the outbox
    // has a delivery per subscriber, all sent), and JetStream holds nothing more for reporting (an
    // event in the killed process's hands comes back after the ack wait, 5 s here).
    await eventually(stateCounts, (counts) => counts.ALARM === alarmCount, 'every alarm in ALARM');
    const expectedNotifications = CONFIGURATIONS * INSTANCES_PER_CONFIGURATION + alarmCount;
    const deliveries = () =>
      withSystemDatabase(system, async (db) => {
        const { rows } = await db.query(
          'select status, count(*)::int as n from reporting.notification_deliveries group by status',
        );
        return Object.fromEntries(rows.map((row: { status: string; n: number }) => [row.status, row.n]));
      });
    const allSent = { DELIVERED: expectedNotifications * receivers.length };
    await eventually(deliveries, (byStatus) => JSON.stringify(byStatus) === JSON.stringify(allSent), 'every delivery');
    for (const consumer of [NOTIFICATIONS, USAGE_METRICS, ALARM_ACTIONS]) {
      await eventually(
        () => backlogOf(jsm, system, consumer),
        (backlog) => backlog === 0,
        `${consumer.durableName} to settle`,
      );
    }
    // Nothing more came of what was redelivered.
    await sleep(1_000);
    expect(await deliveries()).toEqual(allSent);

    const messageIdsOf = new Map<string, Set<string>>();
    for (const [index, receiver] of receivers.entries()) {
      // Each MessageId is one notification: a copy comes again only if the kill cut its delivery off.
      const copies = receiver.byMessageId();
      expect(copies.size, `receiver ${index}`).toBe(expectedNotifications);
      for (const [messageId, posts] of copies) {
        if (posts.length === 1) continue;
        expect(posts, messageId).toHaveLength(2);
        expect(posts[0].receivedAt).toBeLessThan(restartedAt);
        expect(posts[1].text).toBe(posts[0].text);
      }
      const first = [...copies.values()].map((posts) => posts[0]);
      messageIdsOf.set(receiver.url, new Set(copies.keys()));

      // By the event: each soft limit passed once, each alarm's move to ALARM once, none lost.
      const softLimits = first.filter((post) => post.message['detail-type'] === 'License Count Exceeded');
      expect(new Set(softLimits.map((post) => post.message.detail.resourceArn))).toEqual(
        new Set(acknowledgedAt.keys()),
      );
      expect(softLimits).toHaveLength(acknowledgedAt.size);
      const alarms = first.filter((post) => post.message.AlarmName !== undefined);
      expect(alarms.map((post) => post.message.AlarmName).sort()).toEqual(
        configurations.flatMap((_, c) => ALARM_STEPS.map((step) => alarmName(c, step))).sort(),
      );
      expect(
        alarms.every((post) => post.message.OldStateValue === 'OK' && post.message.NewStateValue === 'ALARM'),
      ).toBe(true);
      // What the crash caught came from the restarted reporting, once like the rest.
      const after = (posts: SnsPost[]) => posts.every((post) => post.receivedAt > killedAt);
      expect(after(softLimits.filter((post) => softLimitsCaught.includes(post.message.detail.resourceArn)))).toBe(true);
      expect(after(alarms.filter((post) => alarmsCaught.includes(post.message.AlarmName)))).toBe(true);
    }
    // Each subscriber has its own MessageIds (one delivery each).
    const [a, b] = [...messageIdsOf.values()];
    expect([...a].filter((id) => b.has(id))).toEqual([]);

    // The alarm history has each transition once.
    for (const [c] of configurations.entries()) {
      for (const step of ALARM_STEPS) {
        const { AlarmHistoryItems = [] } = await cloudWatch.send(
          new DescribeAlarmHistoryCommand({ AlarmName: alarmName(c, step), HistoryItemType: 'StateUpdate' }),
        );
        expect(
          AlarmHistoryItems.map((item) => item.HistorySummary),
          alarmName(c, step),
        ).toEqual(['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
      }
    }
  }, 240_000);
});
