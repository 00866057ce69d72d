import { randomBytes, randomUUID } from 'node:crypto';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { MasterKey, type Clock } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantQueries } from '../src/grants/application/grant.queries';
import { LicenseConsumptionCommands } from '../src/consumption/application/license-consumption.commands';
import { ConsumableLicenses } from '../src/consumption/application/license-consumption.licenses';
import { LicenseConsumptionQueries } from '../src/consumption/application/license-consumption.queries';
import { ConsumptionTokens } from '../src/consumption/application/consumption-tokens';
import { ConsumptionRecords } from '../src/consumption/application/license-consumption.records';
import { ConsumptionSettings } from '../src/consumption/application/license-consumption.settings';
import { LicenseExpirySweep } from '../src/licenses/application/license-expiry.sweep';
import { LicenseQueries } from '../src/licenses/application/license.queries';
import { LicenseUsageStreams } from '../src/consumption/application/license-usage-streams';
import { ViewLicenseAccess } from '../src/grants/application/view-license-access';
import { openServiceStorageOf } from '@lm/service-kit';
import { GrantsService } from '../src/grants.service';
import { FIXED_KEY_FINGERPRINT, FixedSigningKeys } from './fixed-signing-keys';
import { createTestDatabase } from '../../../test/support/test-database';
import { licenseAndGrantCommands } from './license-and-grant-commands';

const region = 'us-east-1';
const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region,
});
const issuer = callerOf('111111111111');
const customer = callerOf('222222222222');
const BEGIN = '2026-01-01T00:00:00Z';
const END = '2026-07-01T00:00:00Z';

/** The service's application over a fresh database at the test's clock, with two replicas' expiry sweeps. */
async function openApplication(clock: Clock) {
  const database = await createTestDatabase('lm_grants');
  const infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
  const access = new ViewLicenseAccess(infra.db, clock);
  const usage = new LicenseUsageStreams(infra.store);
  const consumable = new ConsumableLicenses(access, infra.db, new ConsumptionSettings(0));
  return {
    database,
    infra,
    access,
    ...licenseAndGrantCommands(infra, clock, region, access),
    licenseQueries: new LicenseQueries(infra.db, access),
    grantQueries: new GrantQueries(infra.db),
    sweeps: [
      new LicenseExpirySweep(infra.store, infra.db, clock),
      new LicenseExpirySweep(infra.store, infra.db, clock),
    ],
    consumption: new LicenseConsumptionCommands(
      consumable,
      usage,
      new ConsumptionRecords(infra.db),
      new FixedSigningKeys(),
      new ConsumptionTokens(new MasterKey(randomBytes(32))),
      clock,
    ),
    consumptionQueries: new LicenseConsumptionQueries(consumable, usage, clock),
  };
}

const definition = (validity: LicenseManager.DatetimeRange, renewType?: LicenseManager.RenewType) => ({
  LicenseName: 'Analytics',
  ProductName: 'Analytics',
  Issuer: { Name: 'Example ISV', SignKey: 'k' },
  HomeRegion: region,
  Validity: validity,
  Entitlements: [{ Name: 'Users', Unit: 'Count' as const, MaxCount: 10 }],
  ConsumptionConfiguration: { RenewType: renewType, ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
  ClientToken: randomUUID(),
});

let now = new Date('2026-06-01T00:00:00Z');
let app: Awaited<ReturnType<typeof openApplication>>;

const createLicense = async (validity: LicenseManager.DatetimeRange, renewType?: LicenseManager.RenewType) =>
  (
    await app.licenses.create(issuer, {
      ...definition(validity, renewType),
      ProductSKU: `sku-${randomUUID()}`,
      Beneficiary: 'customer',
    })
  ).LicenseArn!;
const licenseOf = async (caller: Caller, arn: string) =>
  (await app.licenseQueries.get(caller, { LicenseArn: arn })).License!;
const statusOf = async (caller: Caller, arn: string) => (await licenseOf(caller, arn)).Status;
const listedWithStatus = async (status: LicenseManager.LicenseStatus) =>
  (await app.licenseQueries.list(issuer, { Filters: [{ Name: 'Status', Values: [status] }] })).Licenses!.map(
    (l) => l.LicenseArn,
  );
const eventsOf = async (type: string, arn: string) =>
  (await app.infra.store.readAll()).filter(
    (e) => e.type === type && (e.data as { licenseArn: string }).licenseArn === arn,
  );
const expiryEvents = (arn: string) => eventsOf('LicenseExpired', arn);
const grantTo = async (caller: Caller, arn: string) => {
  const { GrantArn } = await app.grants.create(issuer, {
    GrantName: 'g',
    LicenseArn: arn,
    Principals: [caller.principalArn],
    HomeRegion: region,
    AllowedOperations: ['CheckoutLicense'],
    ClientToken: randomUUID(),
  });
  await app.grants.accept(caller, GrantArn!);
  await app.grants.createVersion(caller, { GrantArn: GrantArn!, Status: 'ACTIVE', ClientToken: randomUUID() });
};

beforeAll(async () => {
  app = await openApplication({ now: () => now });
});
afterAll(async () => {
  await app?.infra.store.close();
  await app?.infra.db.destroy();
  await app?.database.drop();
});

describe('licences expire at the end of their validity (against PostgreSQL)', () => {
  it('refuses use from the end, reads EXPIRED once swept (one event for two concurrent sweeps), and revives with a new version', async () => {
    const arn = await createLicense({ Begin: BEGIN, End: END });
    const perpetual = await createLicense({ Begin: BEGIN });
    await grantTo(customer, arn);
    expect(await app.sweeps[0].sweep()).toBe(0);

    now = new Date(END);
    // Between the end and the sweep: still reads AVAILABLE, but no longer usable.
    expect(await statusOf(issuer, arn)).toBe('AVAILABLE');
    expect(await app.access.usableLicenses(customer, 'CheckoutLicense', { licenseArn: arn })).toEqual([]);

    const recorded = await Promise.all(app.sweeps.map((sweep) => sweep.sweep()));
    expect(recorded.reduce((a, b) => a + b)).toBe(1);
    expect(await expiryEvents(arn)).toHaveLength(1);
    expect(await statusOf(issuer, arn)).toBe('EXPIRED');
    expect(await statusOf(customer, arn)).toBe('EXPIRED');
    expect(await statusOf(issuer, perpetual)).toBe('AVAILABLE');
    expect(await listedWithStatus('EXPIRED')).toEqual([arn]);
    expect(await listedWithStatus('AVAILABLE')).toEqual([perpetual]);
    const received = await app.grantQueries.listReceivedLicenses(customer, {
      Filters: [{ Name: 'Status', Values: ['EXPIRED'] }],
    });
    expect(received.Licenses!.map((l) => [l.LicenseArn, l.Status])).toEqual([[arn, 'EXPIRED']]);
    // The version itself stays as the issuer wrote it; the licence's current status is EXPIRED.
    expect((await app.licenseQueries.listVersions(issuer, { LicenseArn: arn })).Licenses!.map((l) => l.Status)).toEqual(
      ['AVAILABLE'],
    );
    expect(await app.sweeps[1].sweep()).toBe(0);

    const renewed = await app.licenses.createVersion(issuer, {
      ...definition({ Begin: BEGIN, End: '2027-07-01T00:00:00Z' }),
      LicenseArn: arn,
      Status: 'AVAILABLE',
      SourceVersion: '1',
    });
    expect(renewed).toMatchObject({ Version: '2', Status: 'AVAILABLE' });
    expect(await statusOf(issuer, arn)).toBe('AVAILABLE');
    expect(await listedWithStatus('EXPIRED')).toEqual([]);
    expect(await app.access.usableLicenses(customer, 'CheckoutLicense', { licenseArn: arn })).toHaveLength(1);
    expect(await app.sweeps[0].sweep()).toBe(0);

    now = new Date('2027-07-01T00:00:00Z');
    expect(await app.sweeps[0].sweep()).toBe(1);
    expect(await expiryEvents(arn)).toMatchObject([
      { data: { version: '1' } },
      { data: { version: '2', validityEnd: '2027-07-01T00:00:00Z' } },
    ]);
  });

  it('leaves deleted licences and other statuses alone', async () => {
    now = new Date('2026-06-01T00:00:00Z');
    const deleted = await createLicense({ Begin: BEGIN, End: END });
    await app.licenses.delete(issuer, { LicenseArn: deleted, SourceVersion: '1' });
    const suspended = await createLicense({ Begin: BEGIN, End: END });
    await app.licenses.createVersion(issuer, {
      ...definition({ Begin: BEGIN, End: END }),
      LicenseArn: suspended,
      Status: 'SUSPENDED',
    });
    now = new Date('2026-08-01T00:00:00Z');
    expect(await app.sweeps[0].sweep()).toBe(0);
    expect(await statusOf(issuer, deleted)).toBe('DELETED');
    expect(await statusOf(issuer, suspended)).toBe('SUSPENDED');
  });
});

describe('subscriptions renew at the end of their validity (against PostgreSQL)', () => {
  const renewalEvents = (arn: string) => eventsOf('LicenseRenewed', arn);
  const endOf = async (arn: string) => (await licenseOf(issuer, arn)).Validity!.End;

  it('renews a weekly subscription in place, once for two concurrent sweeps, and over three missed weeks with one event', async () => {
    now = new Date('2026-06-01T00:00:00Z');
    const arn = await createLicense({ Begin: BEGIN, End: '2026-06-08T00:00:00Z' }, 'Weekly');
    await grantTo(customer, arn);

    now = new Date('2026-06-08T00:00:00Z');
    expect(await app.access.usableLicenses(customer, 'CheckoutLicense', { licenseArn: arn })).toEqual([]);
    await Promise.all(app.sweeps.map((sweep) => sweep.sweep()));
    expect((await renewalEvents(arn)).map((e) => e.data)).toEqual([
      {
        licenseArn: arn,
        version: '1',
        previousEnd: '2026-06-08T00:00:00Z',
        newEnd: '2026-06-15T00:00:00.000Z',
        renewedAt: '2026-06-08T00:00:00.000Z',
      },
    ]);
    expect(await expiryEvents(arn)).toEqual([]);
    expect(await licenseOf(customer, arn)).toMatchObject({
      Version: '1',
      Status: 'AVAILABLE',
      Validity: { Begin: BEGIN, End: '2026-06-15T00:00:00.000Z' },
    });
    expect(await listedWithStatus('AVAILABLE')).toContain(arn);
    const received = await app.grantQueries.listReceivedLicenses(customer, {});
    expect(received.Licenses!.find((l) => l.LicenseArn === arn)?.Validity?.End).toBe('2026-06-15T00:00:00.000Z');
    // The version stays as the issuer wrote it; the licence is usable again until its new end.
    expect(
      (await app.licenseQueries.listVersions(issuer, { LicenseArn: arn })).Licenses!.map((l) => l.Validity!.End),
    ).toEqual(['2026-06-08T00:00:00Z']);
    expect(await app.access.usableLicenses(customer, 'CheckoutLicense', { licenseArn: arn })).toHaveLength(1);

    // Ends on Jun 15, 22 and 29 passed unswept: one renewal, to the first end after now.
    now = new Date('2026-07-01T00:00:00Z');
    await app.sweeps[0].sweep();
    expect((await renewalEvents(arn)).map((e) => e.data)).toMatchObject([
      { newEnd: '2026-06-15T00:00:00.000Z' },
      { previousEnd: '2026-06-15T00:00:00.000Z', newEnd: '2026-07-06T00:00:00.000Z' },
    ]);
    expect(await endOf(arn)).toBe('2026-07-06T00:00:00.000Z');
    expect(await app.sweeps[1].sweep()).toBe(0);
  });

  it('renews a monthly subscription ending on Jan 31 to Feb 28, then Mar 31', async () => {
    now = new Date('2026-01-15T00:00:00Z');
    const arn = await createLicense({ Begin: BEGIN, End: '2026-01-31T00:00:00Z' }, 'Monthly');
    now = new Date('2026-02-01T00:00:00Z');
    await app.sweeps[0].sweep();
    expect(await endOf(arn)).toBe('2026-02-28T00:00:00.000Z');
    now = new Date('2026-02-28T00:00:00Z');
    await app.sweeps[1].sweep();
    expect(await endOf(arn)).toBe('2026-03-31T00:00:00.000Z');
    expect((await renewalEvents(arn)).map((e) => (e.data as { previousEnd: string }).previousEnd)).toEqual([
      '2026-01-31T00:00:00Z',
      '2026-02-28T00:00:00.000Z',
    ]);
    expect(await statusOf(issuer, arn)).toBe('AVAILABLE');
  });

  it('neither renews nor expires a deactivated subscription, and expires a licence with RenewType None', async () => {
    now = new Date('2026-06-01T00:00:00Z');
    const deactivated = await createLicense({ Begin: BEGIN, End: '2026-06-08T00:00:00Z' }, 'Weekly');
    await app.licenses.createVersion(issuer, {
      ...definition({ Begin: BEGIN, End: '2026-06-08T00:00:00Z' }, 'Weekly'),
      LicenseArn: deactivated,
      Status: 'DEACTIVATED',
    });
    const notRenewed = await createLicense({ Begin: BEGIN, End: '2026-06-08T00:00:00Z' }, 'None');
    now = new Date('2026-06-09T00:00:00Z');
    await app.sweeps[0].sweep();
    expect(await licenseOf(issuer, deactivated)).toMatchObject({
      Status: 'DEACTIVATED',
      Validity: { End: '2026-06-08T00:00:00Z' },
    });
    expect([...(await renewalEvents(deactivated)), ...(await expiryEvents(deactivated))]).toEqual([]);
    expect(await statusOf(issuer, notRenewed)).toBe('EXPIRED');
    expect(await renewalEvents(notRenewed)).toEqual([]);
  });

  it('starts a new usage period: what was used up is available again after the renewal', async () => {
    now = new Date('2026-06-01T00:00:00Z');
    const arn = await createLicense({ Begin: BEGIN, End: '2026-06-08T00:00:00Z' }, 'Weekly');
    const { ProductSKU } = await licenseOf(issuer, arn);
    const checkout = (CheckoutType: LicenseManager.CheckoutType, units: string) =>
      app.consumption.checkout(issuer, {
        ProductSKU: ProductSKU!,
        KeyFingerprint: FIXED_KEY_FINGERPRINT,
        Beneficiary: 'customer',
        CheckoutType,
        Entitlements: [{ Name: 'Users', Unit: 'Count', Value: units }],
        ClientToken: randomUUID(),
      });
    const consumed = async () =>
      (await app.consumptionQueries.usageOf(issuer, arn)).LicenseUsage!.EntitlementUsages![0].ConsumedValue;

    now = new Date('2026-06-07T23:30:00Z');
    await checkout('PERPETUAL', '9');
    await checkout('PROVISIONAL', '1');
    await expect(checkout('PROVISIONAL', '1')).rejects.toMatchObject({ code: 'NoEntitlementsAllowedException' });

    now = new Date('2026-06-08T00:00:00Z');
    await app.sweeps[0].sweep();
    expect(await consumed()).toBe('0');
    await checkout('PERPETUAL', '10');
    expect(await consumed()).toBe('10');
    const usage = (await app.infra.store.readAll()).filter(
      (e) => e.streamName === `license-usage-${arn.split(':').pop()}`,
    );
    expect(usage.map((e) => e.type)).toEqual([
      'LicenseCheckedOut',
      'LicenseCheckedOut',
      'LicenseUsageReset',
      'LicenseCheckedOut',
    ]);
  });
});
