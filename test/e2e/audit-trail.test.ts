import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
} from '@aws-sdk/client-license-manager';
import { auditRecordsOf, type AuditMessage, type AuditRecord } from '@lm/contracts';
import { auditStreamName } from '@lm/messaging';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, callLicenseManager, licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const alice = accounts.management;
const bob = accounts.member;
const keyOf = (account: typeof alice) => account.accessKeys[0].accessKeyId;

/** `aws cloudtrail lookup-events` as an account, with the CLI's own paging off so that a page is a page. */
const lookupEvents = (system: RunningSystem, account: typeof alice, args: string[] = []) =>
  awsCli(system, account, ['cloudtrail', 'lookup-events', '--no-paginate', ...args]);

/** Records reach reporting through JetStream: wait until the account sees at least `count` events. */
async function eventsOnceStored(system: RunningSystem, account: typeof alice, count: number, args: string[] = []) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await lookupEvents(system, account, args);
    expect(result.exitCode, result.stderr).toBe(0);
    if (result.json.Events.length >= count || Date.now() > deadline) return result.json.Events as any[];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Waits for the next second to begin: a record's EventTime has whole seconds, and calls made
 * within one second have no order to show newest first.
 */
async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 10));
}

/** Waits until the account's records of an operation hold every one of these requests (or 20 s passed): the request IDs found. */
async function requestIdsOnceStored(system: RunningSystem, account: typeof alice, eventName: string, wanted: string[]) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The CLI follows NextToken: every page.
    const result = await awsCli(system, account, [
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      `AttributeKey=EventName,AttributeValue=${eventName}`,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const found = new Set<string>(result.json.Events.map((e: any) => JSON.parse(e.CloudTrailEvent).requestID));
    if (wanted.every((id) => found.has(id)) || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** How many messages the system's audit stream holds on a subject. */
async function auditMessagesOn(system: RunningSystem, subject: string): Promise<number> {
  const nc: NatsConnection = await connect({ servers: process.env.NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(auditStreamName(system.natsNamespace), { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  } finally {
    await nc.close();
  }
}

async function boto3Lookup(system: RunningSystem, account: typeof alice): Promise<any> {
  return JSON.parse(await boto3Script(system, account, join(__dirname, 'audit-trail-boto3.py')));
}

describe('audit trail: CloudTrail records of every call, LookupEvents per account (AWS CLI, JS SDK, boto3)', () => {
  let system: RunningSystem;
  let configurationArn: string;
  const started = new Date();

  beforeAll(async () => {
    system = await startSystem();
    // Alice with the AWS CLI: a create, a read, a failed read.
    const created = await awsCli(system, alice, [
      'license-manager',
      'create-license-configuration',
      '--name',
      'audited',
      '--license-counting-type',
      'vCPU',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    configurationArn = created.json.LicenseConfigurationArn;
    await nextSecond();
    expect(
      (
        await awsCli(system, alice, [
          'license-manager',
          'get-license-configuration',
          '--license-configuration-arn',
          configurationArn,
        ])
      ).exitCode,
    ).toBe(0);
    const missing = configurationArn.replace(/lic-[0-9a-f]+$/, `lic-${'0'.repeat(32)}`);
    await nextSecond();
    expect(
      (
        await awsCli(system, alice, [
          'license-manager',
          'get-license-configuration',
          '--license-configuration-arn',
          missing,
        ])
      ).exitCode,
    ).not.toBe(0);
    // Bob with the JS SDK.
    const sdk = licenseManager(system, bob);
    await sdk.send(new CreateLicenseConfigurationCommand({ Name: 'bob', LicenseCountingType: 'Core' }));
    await sdk.send(new ListLicenseConfigurationsCommand({}));
    // And a call nobody signed.
    expect((await callLicenseManager(system, undefined, 'ListLicenseConfigurations', {})).status).toBe(403);
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it("shows an account its own calls, newest first, with CloudTrail's fields (AWS CLI)", async () => {
    const events = await eventsOnceStored(system, alice, 3);
    expect(events.map((e) => e.EventName)).toEqual([
      'GetLicenseConfiguration',
      'GetLicenseConfiguration',
      'CreateLicenseConfiguration',
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        AccessKeyId: keyOf(alice),
        EventSource: 'license-manager.amazonaws.com',
        Username: 'root',
      });
      // The CLI prints timestamps as the wire carries them (epoch seconds) unless told otherwise.
      const eventTime = typeof event.EventTime === 'number' ? event.EventTime * 1000 : Date.parse(event.EventTime);
      expect(eventTime).toBeGreaterThanOrEqual(started.getTime() - 1000);
      expect(eventTime).toBeLessThanOrEqual(Date.now());
    }
    const [failed, read, create] = events.map((e) => ({ ...e, record: JSON.parse(e.CloudTrailEvent) }));
    expect(create.ReadOnly).toBe('false');
    expect(create.Resources).toEqual([
      { ResourceType: 'AWS::LicenseManager::LicenseConfiguration', ResourceName: configurationArn },
    ]);
    expect(create.record).toMatchObject({
      eventVersion: '1.08',
      userIdentity: {
        type: 'Root',
        accountId: alice.accountId,
        accessKeyId: keyOf(alice),
        arn: `arn:aws:iam::${alice.accountId}:root`,
      },
      eventSource: 'license-manager.amazonaws.com',
      eventName: 'CreateLicenseConfiguration',
      awsRegion: system.region,
      sourceIPAddress: expect.stringMatching(/127\.0\.0\.1/),
      userAgent: expect.stringMatching(/^aws-cli\//),
      requestParameters: { name: 'audited', licenseCountingType: 'vCPU' },
      responseElements: { licenseConfigurationArn: configurationArn },
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      readOnly: false,
      recipientAccountId: alice.accountId,
    });
    // CloudTrail keeps the response elements of calls that change something only.
    expect(read.record).toMatchObject({
      readOnly: true,
      requestParameters: { licenseConfigurationArn: configurationArn },
      responseElements: null,
    });
    expect(read.record).not.toHaveProperty('errorCode');
    expect(failed.record).toMatchObject({ errorCode: expect.stringMatching(/Exception$/), responseElements: null });
    expect(failed.record.errorMessage).toBeTruthy();
    // The unsigned call proved no account: nobody's trail holds it.
    expect(events.some((e) => e.EventName === 'ListLicenseConfigurations')).toBe(false);
  });

  it('looks up by EventName, AccessKeyId, ReadOnly and time range, and pages with NextToken', async () => {
    const names = async (args: string[]) =>
      (await lookupEvents(system, alice, args)).json.Events.map((e: any) => e.EventName);
    const attribute = (key: string, value: string) => [
      '--lookup-attributes',
      `AttributeKey=${key},AttributeValue=${value}`,
    ];
    expect(await names(attribute('EventName', 'CreateLicenseConfiguration'))).toEqual(['CreateLicenseConfiguration']);
    expect(await names(attribute('ReadOnly', 'false'))).toContain('CreateLicenseConfiguration');
    expect(await names(attribute('ReadOnly', 'false'))).not.toContain('GetLicenseConfiguration');
    expect((await names(attribute('AccessKeyId', keyOf(alice)))).length).toBeGreaterThanOrEqual(3);
    expect(await names(attribute('AccessKeyId', keyOf(bob)))).toEqual([]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await names(['--start-time', future])).toEqual([]);
    expect(
      await names(['--start-time', started.toISOString(), ...attribute('EventName', 'GetLicenseConfiguration')]),
    ).toHaveLength(2);
    const first = await lookupEvents(system, alice, ['--max-results', '2']);
    expect(first.json.Events).toHaveLength(2);
    expect(first.json.NextToken).toBeTruthy();
    const second = await lookupEvents(system, alice, ['--max-results', '2', '--next-token', first.json.NextToken]);
    const ids = [...first.json.Events, ...second.json.Events].map((e: any) => e.EventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("answers CloudTrail's modeled errors to bad input (AWS CLI)", async () => {
    const two = await lookupEvents(system, alice, [
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=a',
      'AttributeKey=ReadOnly,AttributeValue=true',
    ]);
    expect(two.exitCode).not.toBe(0);
    expect(two.stderr).toContain('InvalidLookupAttributesException');
    const range = await lookupEvents(system, alice, [
      '--start-time',
      '2026-01-02T00:00:00Z',
      '--end-time',
      '2026-01-01T00:00:00Z',
    ]);
    expect(range.stderr).toContain('InvalidTimeRangeException');
  });

  it('shows the other account only its own records, and keeps secrets out (boto3)', async () => {
    await eventsOnceStored(system, bob, 2);
    const observed = await boto3Lookup(system, bob);
    const names = observed.all.map((e: any) => e.EventName);
    expect(names).toEqual(expect.arrayContaining(['CreateLicenseConfiguration', 'ListLicenseConfigurations']));
    expect(names).not.toContain('GetLicenseConfiguration');
    for (const event of observed.all) {
      expect(event.AccessKeyId).toBe(keyOf(bob));
      expect(event.Record.recipientAccountId).toBe(bob.accountId);
      expect(event.Record.userAgent).toBeTruthy();
    }
    expect(JSON.stringify(observed)).not.toContain(bob.accessKeys[0].secretAccessKey);
    expect(observed.pages.flat().length).toBe(new Set(observed.pages.flat()).size);
    expect(observed.pages.flat().length).toBeGreaterThanOrEqual(2);
    expect(observed.writes).toContain('CreateLicenseConfiguration');
    expect(observed.writes).not.toContain('ListLicenseConfigurations');
    expect(observed.future).toEqual([]);
    expect(observed.errors).toEqual({
      two_attributes: { code: 'InvalidLookupAttributesException', status: 400 },
      max_results: { code: 'InvalidMaxResultsException', status: 400 },
      time_range: { code: 'InvalidTimeRangeException', status: 400 },
      next_token: { code: 'InvalidNextTokenException', status: 400 },
    });
  });

  it('records LookupEvents itself under cloudtrail.amazonaws.com', async () => {
    const events = await eventsOnceStored(system, alice, 1, [
      '--lookup-attributes',
      'AttributeKey=EventSource,AttributeValue=cloudtrail.amazonaws.com',
    ]);
    expect(events[0]).toMatchObject({
      EventName: 'LookupEvents',
      ReadOnly: 'true',
      EventSource: 'cloudtrail.amazonaws.com',
    });
  });

  it('publishes a record of calls that proved no account too: unsigned, a bad signature, a body over the limit', async () => {
    const nc = await connect({ servers: process.env.NATS_URL });
    const records: AuditRecord[] = [];
    const subscription = nc.subscribe(`lm.${system.natsNamespace}.audit.>`, {
      callback: (_error, message) => records.push(...auditRecordsOf(JSONCodec<AuditMessage>().decode(message.data))),
    });
    try {
      const forger = { ...alice, accessKeys: [{ ...alice.accessKeys[0], secretAccessKey: 'not-the-secret' }] };
      const unsigned = await callLicenseManager(system, undefined, 'ListLicenseConfigurations', {});
      const forged = await callLicenseManager(system, forger, 'ListLicenseConfigurations', {});
      const oversized = await callLicenseManager(system, alice, 'CreateLicenseConfiguration', {
        Name: 'big',
        LicenseCountingType: 'vCPU',
        Description: 'd'.repeat(2 * 1024 * 1024),
      });
      expect([unsigned.status, forged.status, oversized.status]).toEqual([403, 403, 413]);
      const requestIds = [unsigned, forged, oversized].map((r) => r.headers.get('x-amzn-requestid'));
      const byRequest = (id: string | null) => records.find((record) => record.requestID === id);
      // Records of earlier calls may still be arriving: wait for these three.
      const deadline = Date.now() + 5_000;
      while (!requestIds.every(byRequest) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(byRequest(requestIds[0])).toMatchObject({
        eventName: 'ListLicenseConfigurations',
        eventSource: 'license-manager.amazonaws.com',
        userIdentity: { type: 'Unknown' },
        errorCode: 'MissingAuthenticationTokenException',
      });
      expect(byRequest(requestIds[1])).toMatchObject({
        eventName: 'ListLicenseConfigurations',
        userIdentity: { type: 'Unknown', accessKeyId: keyOf(alice) },
        errorCode: 'InvalidSignatureException',
      });
      expect(byRequest(requestIds[2])).toMatchObject({
        eventName: 'CreateLicenseConfiguration',
        errorCode: 'RequestEntityTooLargeException',
        requestParameters: null,
      });
      for (const id of requestIds) {
        expect(byRequest(id)).not.toHaveProperty('recipientAccountId');
        expect(byRequest(id)!.userIdentity).not.toHaveProperty('accountId');
      }
      expect(JSON.stringify(records)).not.toContain(alice.accessKeys[0].secretAccessKey);
    } finally {
      subscription.unsubscribe();
      await nc.close();
    }
  });

  it('loses no record made while reporting is down', async () => {
    await system.kill('reporting', 'SIGKILL');
    const sdk = licenseManager(system, alice);
    await sdk
      .send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: configurationArn }))
      .catch(() => undefined);
    await system.restart('reporting');
    const reads = await eventsOnceStored(system, alice, 3, [
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=GetLicenseConfiguration',
    ]);
    expect(reads).toHaveLength(3);
    expect(reads[0].Username).toBe('root');
  }, 60_000);

  it('publishes a burst of calls in fewer messages than records, and LookupEvents finds every record', async () => {
    const subject = `lm.${system.natsNamespace}.audit.license-manager.ListLicenseConfigurations`;
    const before = await auditMessagesOn(system, subject);
    const sdk = licenseManager(system, bob);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => sdk.send(new ListLicenseConfigurationsCommand({}))),
    );
    const requestIds = answers.map((answer) => answer.$metadata.requestId!);
    const stored = await requestIdsOnceStored(system, bob, 'ListLicenseConfigurations', requestIds);
    expect(requestIds.filter((id) => !stored.has(id))).toEqual([]);
    // Every record is stored, so every batch is on the stream by now.
    const messages = (await auditMessagesOn(system, subject)) - before;
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThan(requestIds.length);
  }, 60_000);

  it("stores the single-record messages of an older gateway, and a batch's records, each once", async () => {
    // What a gateway before batches published: the bare record, its eventID the message id.
    const [stored] = await eventsOnceStored(system, bob, 1, [
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=CreateLicenseConfiguration',
    ]);
    const template: AuditRecord = JSON.parse(stored.CloudTrailEvent);
    const older = {
      ...template,
      eventName: 'DeleteLicenseConfiguration',
      eventID: randomUUID(),
      requestID: randomUUID(),
    };
    const batched = { ...older, eventID: randomUUID(), requestID: randomUUID() };
    const nc = await connect({ servers: process.env.NATS_URL });
    try {
      const js = nc.jetstream();
      const subject = `lm.${system.natsNamespace}.audit.license-manager.DeleteLicenseConfiguration`;
      await js.publish(subject, JSONCodec<AuditMessage>().encode(older), { msgID: older.eventID });
      // The older record again, in a batch (another message id): stored once all the same.
      await js.publish(subject, JSONCodec<AuditMessage>().encode({ Records: [older, batched] }), {
        msgID: randomUUID(),
      });
    } finally {
      await nc.close();
    }
    const found = await requestIdsOnceStored(system, bob, 'DeleteLicenseConfiguration', [
      older.requestID,
      batched.requestID,
    ]);
    expect([...found].sort()).toEqual([older.requestID, batched.requestID].sort());
  });

  it('publishes the records still batched when the gateway stops', async () => {
    const sdk = licenseManager(system, bob);
    const calls = Array.from({ length: 30 }, () =>
      sdk.send(new ListLicenseConfigurationsCommand({})).then(
        (answer) => answer.$metadata.requestId,
        () => undefined,
      ),
    );
    // Stopped while it answers them: the HTTP server closes once they are answered, within the
    // batch delay of the last records, which only the stop's flush publishes.
    await Promise.race(calls);
    const stopped = system.kill('gateway', 'SIGTERM');
    const answered = (await Promise.all(calls)).filter((id) => id !== undefined);
    await stopped;
    sdk.destroy();
    expect(answered.length).toBeGreaterThan(0);
    await system.restart('gateway');
    const stored = await requestIdsOnceStored(system, bob, 'ListLicenseConfigurations', answered);
    expect(answered.filter((id) => !stored.has(id))).toEqual([]);
    expect(system.logs('gateway')).not.toContain('audit records lost');
  }, 60_000);
});
