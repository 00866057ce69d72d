import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateLicenseCommand,
  CreateLicenseConfigurationCommand,
  CreateLicenseManagerReportGeneratorCommand,
  LicenseManagerClient,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationsOf, awsCli, licenseManager } from '../support/clients';
import { reportResources, type ObservedResource } from '../support/inventory';
import { SnsReceiver, type SnsPost } from '../support/sns-receiver';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const OWNER = accounts.management.accountId;
const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:aws-license-manager-service-alerts`;
const DAY_S = 24 * 60 * 60;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the receiver was sent about a resource (the event's resources name it). */
const about = (receiver: SnsReceiver, resourceArn: string): SnsPost[] =>
  receiver.posts.filter((post) => post.message.resources.includes(resourceArn));

async function waitFor(receiver: SnsReceiver, predicate: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; received ${JSON.stringify(receiver.posts.map((p) => [p.body.Subject, p.answered]))}`,
      );
    await sleep(100);
  }
}

let counter = 0;
const instance = (vCpuCount: number): ObservedResource => ({
  accountId: OWNER,
  resourceId: `i-${(++counter).toString(16).padStart(17, 'e')}`,
  resourceType: 'EC2_INSTANCE',
  state: 'running',
  vCpuCount,
  coreCount: vCpuCount / 2,
  threadsPerCore: 2,
  tenancy: 'default',
});

describe('notifications (reporting service)', () => {
  const receiver = new SnsReceiver();
  let system: RunningSystem;
  let client: LicenseManagerClient;
  let nc: NatsConnection;
  let attempts: Subscription;
  const attempted: { messageId: string; outcome: string; attempt: number }[] = [];
  let dir: string;

  /** A configuration expiring `days` from now (LicenseExpiry in seconds, as the API takes it). */
  const expiring = async (days: number, name = `expiring-${++counter}`) =>
    (
      await client.send(
        new CreateLicenseConfigurationCommand({
          Name: name,
          LicenseCountingType: 'vCPU',
          LicenseExpiry: Math.floor(Date.now() / 1000 + days * DAY_S),
        }),
      )
    ).LicenseConfigurationArn!;

  beforeAll(async () => {
    await receiver.start();
    dir = mkdtempSync(join(tmpdir(), 'lm-sns-'));
    const subscriptions = join(dir, 'subscriptions.json');
    writeFileSync(subscriptions, JSON.stringify({ [TOPIC]: [receiver.url] }));
    system = await startSystem({
      LM_SNS_SUBSCRIPTIONS: subscriptions,
      LM_NOTIFICATION_SWEEP_MS: '300',
      LM_REPORT_SWEEP_MS: '500',
      LM_SNS_DELIVERY_SWEEP_MS: '200',
      LM_SNS_RETRY_BASE_MS: '300',
      LM_SNS_RETRY_MAX_MS: '1000',
      LM_SNS_DELIVERY_TIMEOUT_MS: '2000',
      LM_QUOTA_LICENSE_CONFIGURATIONS: '100',
    });
    client = licenseManager(system, accounts.management);
    nc = await connect({ servers: process.env.NATS_URL });
    attempts = nc.subscribe(`lm.${system.natsNamespace}.events.reporting.NotificationDeliveryAttempted`);
    void (async () => {
      for await (const message of attempts) attempted.push(JSONCodec<any>().decode(message.data).data);
    })();
    const set = await awsCli(system, accounts.management, [
      'license-manager',
      'update-service-settings',
      '--sns-topic-arn',
      TOPIC,
    ]);
    expect(set.exitCode, set.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await system?.stop();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('notifies a configuration once at the threshold its expiry has passed, as SNS posts to HTTP endpoints', async () => {
    const soon = await expiring(29.9, 'Oracle DB');
    const later = await expiring(100);
    await waitFor(
      receiver,
      () => about(receiver, soon).length > 0 && about(receiver, later).length > 0,
      'the expiry notices',
    );
    // Several sweeps later, still one notice each.
    await sleep(1500);
    const [notice] = about(receiver, soon);
    expect(about(receiver, soon)).toHaveLength(1);
    expect(about(receiver, later)).toHaveLength(1);
    expect(about(receiver, later)[0].message.detail.thresholdDays).toBe(120);
    expect(notice.body).toMatchObject({
      Type: 'Notification',
      TopicArn: TOPIC,
      Subject: 'License configuration Oracle DB expires in 30 days',
      MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(notice.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': notice.body.MessageId,
      'x-amz-sns-topic-arn': TOPIC,
    });
    expect(notice.message).toMatchObject({
      source: 'aws.license-manager',
      'detail-type': 'License Configuration Expiry',
      account: OWNER,
      region: system.region,
      resources: [soon],
      detail: { licenseConfigurationArn: soon, licenseConfigurationName: 'Oracle DB', thresholdDays: 30, daysLeft: 30 },
    });
    await waitFor(
      receiver,
      () => attempted.some((a) => a.messageId === notice.body.MessageId && a.outcome === 'DELIVERED'),
      'the NotificationDeliveryAttempted event',
    );
  });

  it("notifies a seller-issued licence's issuer at the threshold its Validity.End has passed", async () => {
    const now = Date.now();
    const { LicenseArn } = await client.send(
      new CreateLicenseCommand({
        LicenseName: 'Analytics Pro',
        ProductName: 'Analytics',
        ProductSKU: 'analytics-pro',
        Issuer: { Name: 'ExampleSoft' },
        HomeRegion: system.region,
        Validity: {
          Begin: new Date(now - DAY_S * 1000).toISOString(),
          End: new Date(now + 59.5 * DAY_S * 1000).toISOString(),
        },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10 }],
        Beneficiary: 'customer-42',
        ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    );
    await waitFor(receiver, () => about(receiver, LicenseArn!).length > 0, 'the licence expiry notice');
    await sleep(1000);
    expect(about(receiver, LicenseArn!)).toHaveLength(1);
    expect(about(receiver, LicenseArn!)[0].body.Subject).toBe('License Analytics Pro expires in 60 days');
    expect(about(receiver, LicenseArn!)[0].message).toMatchObject({
      'detail-type': 'License Expiry',
      account: OWNER,
      detail: { licenseArn: LicenseArn, licenseName: 'Analytics Pro', thresholdDays: 60, daysLeft: 60 },
    });
  });

  it('notifies a soft limit passed through real associations', async () => {
    const config = (
      await client.send(
        new CreateLicenseConfigurationCommand({
          Name: 'soft',
          LicenseCountingType: 'vCPU',
          LicenseCount: 4,
          LicenseCountHardLimit: false,
        }),
      )
    ).LicenseConfigurationArn!;
    const resources = await reportResources(system, [instance(4), instance(4)]);
    for (const ResourceArn of resources)
      await client.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn,
          AddLicenseSpecifications: [{ LicenseConfigurationArn: config }],
        }),
      );
    expect(await associationsOf(client, config)).toHaveLength(2);
    await waitFor(receiver, () => about(receiver, config).length > 0, 'the soft limit notice');
    await sleep(1000);
    const notices = about(receiver, config);
    expect(notices).toHaveLength(1);
    expect(notices[0].body.Subject).toBe('License configuration soft exceeded its license count');
    expect(notices[0].message).toMatchObject({
      'detail-type': 'License Count Exceeded',
      resources: [config, resources[1]],
      detail: { licenseCount: 4, consumedLicenses: 8, licenseCountHardLimit: false },
    });
  });

  it('notifies a report run that failed (no bucket set)', async () => {
    const config = await expiring(400);
    const generator = (
      await client.send(
        new CreateLicenseManagerReportGeneratorCommand({
          ReportGeneratorName: 'failing',
          Type: ['LicenseConfigurationSummaryReport'],
          ReportContext: { licenseConfigurationArns: [config] },
          ReportFrequency: { value: 1, period: 'DAY' },
          ClientToken: `failing-${Date.now()}`,
        }),
      )
    ).LicenseManagerReportGeneratorArn!;
    await waitFor(receiver, () => about(receiver, generator).length > 0, 'the report failure notice');
    expect(about(receiver, generator)[0].message).toMatchObject({
      'detail-type': 'Report Generation Failed',
      detail: { reportGeneratorName: 'failing', reason: expect.stringMatching(/No S3 bucket/) },
    });
  }, 120_000);

  it('retries a receiver that is down and delivers once it is up, once', async () => {
    receiver.status = 503;
    const arn = await expiring(29.5);
    await waitFor(receiver, () => about(receiver, arn).length >= 2, 'two refused attempts');
    receiver.status = 200;
    await waitFor(receiver, () => about(receiver, arn).some((r) => r.answered === 200), 'the delivery');
    await sleep(1500);
    const copies = about(receiver, arn);
    expect(copies.filter((r) => r.answered === 200)).toHaveLength(1);
    expect(new Set(copies.map((r) => r.body.MessageId)).size).toBe(1);
    const id = copies[0].body.MessageId;
    const outcomes = attempted.filter((a) => a.messageId === id).map((a) => a.outcome);
    expect(outcomes).toContain('RETRYING');
    expect(outcomes.at(-1)).toBe('DELIVERED');
  });

  it('delivers what was pending when reporting was killed, once, after its restart', async () => {
    receiver.status = 503;
    const arn = await expiring(29.4);
    await waitFor(receiver, () => about(receiver, arn).length >= 1, 'a refused attempt');
    await system.kill('reporting', 'SIGKILL');
    receiver.status = 200;
    await sleep(500);
    expect(about(receiver, arn).every((r) => r.answered === 503)).toBe(true);
    await system.restart('reporting');
    await waitFor(
      receiver,
      () => about(receiver, arn).some((r) => r.answered === 200),
      'the delivery after the restart',
    );
    await sleep(1500);
    expect(about(receiver, arn).filter((r) => r.answered === 200)).toHaveLength(1);
    expect(new Set(about(receiver, arn).map((r) => r.body.MessageId)).size).toBe(1);
  }, 120_000);

  it('sends a delivery cut off by a kill again with the same MessageId, and marks it once answered', async () => {
    receiver.hold = true;
    const arn = await expiring(29.3);
    await waitFor(receiver, () => about(receiver, arn).length >= 1, 'the delivery in flight');
    await system.kill('reporting', 'SIGKILL');
    receiver.hold = false;
    receiver.releaseHeld();
    await system.restart('reporting');
    // Its claim runs out (twice LM_SNS_DELIVERY_TIMEOUT_MS), then it is sent again.
    await waitFor(receiver, () => about(receiver, arn).some((r) => r.answered === 200), 'the delivery again', 60_000);
    await sleep(1500);
    const copies = about(receiver, arn);
    expect(copies).toHaveLength(2);
    // The same notification: a receiver that drops MessageIds it has seen takes it once.
    expect(new Set(copies.map((r) => r.body.MessageId)).size).toBe(1);
    expect(copies[1].body).toEqual(copies[0].body);
  }, 120_000);
});
