import { randomUUID } from 'node:crypto';
import { HIDDEN_DUE_TO_SECURITY_REASONS, type AuditRecord, type Caller } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventsStore } from '../src/audit-trail/application/audit-events.store';
import { AuditRetentionSweep } from '../src/audit-trail/application/audit-retention.sweep';
import { AuditEventsQueries } from '../src/audit-trail/application/audit-events.queries';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const REGION = 'us-east-1';
const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: REGION,
});
const alice = callerOf('111111111111');
const bob = callerOf('222222222222');
const CONFIGURATION = `arn:aws:license-manager:${REGION}:111111111111:license-configuration:lic-${'ab'.repeat(16)}`;
const START = new Date('2026-03-01T00:00:00Z');

function recordOf(caller: Caller, eventName: string, minutes: number, fields: Partial<AuditRecord> = {}): AuditRecord {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'Root',
      principalId: caller.accountId,
      arn: caller.principalArn,
      accountId: caller.accountId,
      accessKeyId: caller.accessKeyId,
      userName: 'root',
    },
    eventTime: new Date(START.getTime() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'license-manager.amazonaws.com',
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    requestParameters: { licenseConfigurationArn: CONFIGURATION },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: eventName.startsWith('Get') || eventName.startsWith('List'),
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: caller.accountId,
    ...fields,
  };
}

describe('audit trail storage, LookupEvents and retention', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let store: AuditEventsStore;
  let lookup: AuditEventsQueries;
  const clock = new ManualClock(new Date(START.getTime() + 3_600_000));
  const names = (response: { Events?: { EventName?: string }[] }) => response.Events!.map((e) => e.EventName);

  beforeAll(async () => {
    database = await createTestDatabase('lm_reporting');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    store = new AuditEventsStore(storage.db);
    lookup = new AuditEventsQueries(storage.db);
    // Alice: 10 calls a minute apart, the fourth failed; Bob: one.
    for (let minute = 0; minute < 10; minute++) {
      const name = minute % 2 === 0 ? 'GetLicenseConfiguration' : 'UpdateLicenseConfiguration';
      const failed = minute === 3 ? { errorCode: 'InvalidParameterValueException', errorMessage: 'bad' } : {};
      await store.store(recordOf(alice, name, minute, failed));
    }
    await store.store(recordOf(bob, 'ListLicenses', 5, { requestParameters: {} }));
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('stores a record delivered twice once, and a record without a recipient account not at all', async () => {
    const record = recordOf(bob, 'CreateLicense', 20, {
      requestParameters: { clientToken: HIDDEN_DUE_TO_SECURITY_REASONS },
    });
    expect(await store.store(record)).toBe(true);
    expect(await store.store(record)).toBe(false);
    const { recipientAccountId: _none, ...unauthenticated } = recordOf(bob, 'ListLicenses', 21);
    expect(await store.store({ ...unauthenticated, userIdentity: { type: 'Unknown' } })).toBe(false);
    expect(names(await lookup.lookup(bob, {}))).toEqual(['CreateLicense', 'ListLicenses']);
  });

  it('stores a batch in one statement: each new record once, a repeated one (in the batch or stored before) not again', async () => {
    const carol = callerOf('444455556666');
    const first = recordOf(carol, 'GetLicense', 30);
    const second = recordOf(carol, 'ListLicenses', 31);
    expect(await store.storeAll([first])).toBe(1);
    expect(await store.storeAll([first, second, second])).toBe(1);
    expect(names(await lookup.lookup(carol, {}))).toEqual(['ListLicenses', 'GetLicense']);
  });

  it('stores more records at once than one statement takes (1,000 rows), each once', async () => {
    const erin = callerOf('555566667777');
    const records = Array.from({ length: 6_000 }, (_, i) => recordOf(erin, 'GetLicense', 40 + i / 1_000));
    expect(await store.storeAll(records)).toBe(6_000);
    expect(await store.storeAll(records.slice(5_990))).toBe(0);
  });

  it('stores the record of a call refused for a U+0000 in its parameters, with U+FFFD in its place', async () => {
    const carol = callerOf('333333333333');
    const nulArn = `${CONFIGURATION}\u0000`;
    const record = recordOf(carol, 'CheckInLicense', 30, {
      requestParameters: {
        licenseConsumptionToken: '\u0000',
        tags: { 'k\u0000': 'v' },
        licenseConfigurationArn: nulArn,
      },
      errorCode: 'ValidationException',
      errorMessage:
        "1 validation error detected: Value '\u0000' at 'licenseConsumptionToken' failed to satisfy constraint",
    });
    expect(await store.store(record)).toBe(true);
    const [event] = (await lookup.lookup(carol, {})).Events!;
    expect(JSON.parse(event.CloudTrailEvent!)).toMatchObject({
      requestParameters: { licenseConsumptionToken: '\uFFFD', tags: { 'k\uFFFD': 'v' } },
      errorMessage: expect.stringContaining("Value '\uFFFD'"),
    });
    expect(event.Resources).toEqual([
      { ResourceType: 'AWS::LicenseManager::LicenseConfiguration', ResourceName: `${CONFIGURATION}\uFFFD` },
    ]);
  });

  it('stores and answers the record of a call with a long past 2 ** 53 - 1 digit for digit', async () => {
    const dave = callerOf('444444444444');
    const record = recordOf(dave, 'CreateLicenseConfiguration', 31, {
      requestParameters: { name: 'big', licenseCount: 9223372036854775807n },
    });
    expect(await store.store(record)).toBe(true);
    const [event] = (await lookup.lookup(dave, {})).Events!;
    expect(event.CloudTrailEvent).toContain('"licenseCount":9223372036854775807');
  });

  it("answers an account only its own events, newest first, with CloudTrail's fields and the record as JSON", async () => {
    const { Events } = await lookup.lookup(alice, {});
    expect(Events).toHaveLength(10);
    expect(Events!.every((e) => e.AccessKeyId === alice.accessKeyId)).toBe(true);
    const [newest] = Events!;
    expect(newest).toMatchObject({
      EventName: 'UpdateLicenseConfiguration',
      ReadOnly: 'false',
      Username: 'root',
      EventSource: 'license-manager.amazonaws.com',
      EventTime: START.getTime() / 1000 + 9 * 60,
      Resources: [{ ResourceType: 'AWS::LicenseManager::LicenseConfiguration', ResourceName: CONFIGURATION }],
    });
    expect(JSON.parse(newest.CloudTrailEvent!)).toMatchObject({
      eventID: newest.EventId,
      recipientAccountId: alice.accountId,
    });
    const failed = Events!.find((e) => JSON.parse(e.CloudTrailEvent!).errorCode);
    expect(JSON.parse(failed!.CloudTrailEvent!)).toMatchObject({ errorCode: 'InvalidParameterValueException' });
  });

  it('looks up by each attribute and a time range', async () => {
    const by = async (AttributeKey: any, AttributeValue: string, range = {}) =>
      names(await lookup.lookup(alice, { LookupAttributes: [{ AttributeKey, AttributeValue }], ...range }));
    expect(await by('EventName', 'GetLicenseConfiguration')).toHaveLength(5);
    expect(await by('ReadOnly', 'true')).toEqual(Array(5).fill('GetLicenseConfiguration'));
    expect(await by('ReadOnly', 'false')).toEqual(Array(5).fill('UpdateLicenseConfiguration'));
    expect(await by('AccessKeyId', alice.accessKeyId)).toHaveLength(10);
    expect(await by('AccessKeyId', bob.accessKeyId)).toEqual([]);
    expect(await by('Username', 'root')).toHaveLength(10);
    expect(await by('EventSource', 'kms.amazonaws.com')).toEqual([]);
    expect(await by('ResourceName', CONFIGURATION)).toHaveLength(10);
    expect(await by('ResourceType', 'AWS::LicenseManager::LicenseConfiguration')).toHaveLength(10);
    const eventId = (await lookup.lookup(alice, { MaxResults: 1 })).Events![0].EventId!;
    expect(await by('EventId', eventId)).toEqual(['UpdateLicenseConfiguration']);
    const range = { StartTime: START.getTime() / 1000 + 2 * 60, EndTime: START.getTime() / 1000 + 4 * 60 };
    expect(await by('EventName', 'UpdateLicenseConfiguration', range)).toEqual(['UpdateLicenseConfiguration']);
    expect(names(await lookup.lookup(alice, range))).toHaveLength(3);
  });

  it('pages with NextToken, each event once, and refuses a token of another lookup or account', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await lookup.lookup(alice, { MaxResults: 3, NextToken });
      seen.push(...page.Events!.map((e) => e.EventId!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(10);
    const first = await lookup.lookup(alice, { MaxResults: 3 });
    await expect(
      lookup.lookup(alice, {
        NextToken: first.NextToken,
        LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidNextTokenException' });
    await expect(lookup.lookup(bob, { NextToken: first.NextToken })).rejects.toMatchObject({
      code: 'InvalidNextTokenException',
    });
    await expect(lookup.lookup(alice, { NextToken: 'garbage' })).rejects.toMatchObject({
      code: 'InvalidNextTokenException',
    });
  });

  it("refuses bad input with CloudTrail's errors", async () => {
    const attribute = (AttributeKey: any, AttributeValue: string) => ({ AttributeKey, AttributeValue });
    const cases: [object, string][] = [
      [
        { LookupAttributes: [attribute('EventName', 'a'), attribute('ReadOnly', 'true')] },
        'InvalidLookupAttributesException',
      ],
      [{ LookupAttributes: [attribute('Colour', 'red')] }, 'InvalidLookupAttributesException'],
      [{ LookupAttributes: [attribute('ReadOnly', 'maybe')] }, 'InvalidLookupAttributesException'],
      [{ LookupAttributes: [attribute('EventName', '')] }, 'InvalidLookupAttributesException'],
      [{ StartTime: 2000, EndTime: 1000 }, 'InvalidTimeRangeException'],
      [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
      [{ MaxResults: 0 }, 'InvalidMaxResultsException'],
      [{ EventCategory: 'management' }, 'InvalidEventCategoryException'],
    ];
    for (const [input, code] of cases) await expect(lookup.lookup(alice, input)).rejects.toMatchObject({ code });
    expect(await lookup.lookup(alice, { EventCategory: 'insight' })).toEqual({ Events: [] });
  });

  it('forgets events older than 90 days, and only those', async () => {
    const sweep = new AuditRetentionSweep(storage.db, clock);
    clock.set(new Date(START.getTime() + 90 * 86_400_000 + 5.5 * 60_000));
    expect(await sweep.sweep()).toBe(7);
    expect(names(await lookup.lookup(alice, {}))).toHaveLength(4);
  });
});
