import { randomUUID } from 'node:crypto';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/messaging';
import type { Clock } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantCommands } from '../src/application/grant.commands';
import { GrantQueries } from '../src/application/grant.queries';
import { LicenseCommands } from '../src/application/license.commands';
import { LicenseExpirySweep } from '../src/application/license-expiry.sweep';
import { LicenseQueries } from '../src/application/license.queries';
import { OrganizationIntegrations } from '../src/application/organization-integrations';
import { ViewLicenseAccess } from '../src/application/view-license-access';
import { openGrantsInfrastructure } from '../src/infra/grants-infrastructure';
import { FixedSigningKeys } from './fixed-signing-keys';
import { createTestDatabase } from '../../../test/support/test-database';

const region = 'us-east-1';
const callerOf = (accountId: string): Caller => ({ accountId, principalArn: `arn:aws:iam::${accountId}:root`, accessKeyId: `AKIA${accountId}`, region });
const issuer = callerOf('111111111111');
const customer = callerOf('222222222222');
const BEGIN = '2026-01-01T00:00:00Z';
const END = '2026-07-01T00:00:00Z';

/** The service's application over a fresh database at the test's clock, with two replicas' expiry sweeps. */
async function openApplication(clock: Clock) {
  const database = await createTestDatabase('lm_grants');
  const infra = await openGrantsInfrastructure({ DATABASE_URL: database.url });
  const access = new ViewLicenseAccess(infra.db, clock);
  return {
    database,
    infra,
    access,
    licenses: new LicenseCommands(infra.store, infra.db, clock, region, new FixedSigningKeys(), access),
    licenseQueries: new LicenseQueries(infra.db, access),
    grants: new GrantCommands(infra.store, infra.db, clock, region, access, new OrganizationIntegrations(infra.db, region)),
    grantQueries: new GrantQueries(infra.db),
    sweeps: [new LicenseExpirySweep(infra.store, infra.db, clock), new LicenseExpirySweep(infra.store, infra.db, clock)],
  };
}

const definition = (validity: LicenseManager.DatetimeRange) => ({
  LicenseName: 'Analytics',
  ProductName: 'Analytics',
  Issuer: { Name: 'Example ISV', SignKey: 'k' },
  HomeRegion: region,
  Validity: validity,
  Entitlements: [{ Name: 'Users', Unit: 'Count' as const, MaxCount: 10 }],
  ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
  ClientToken: randomUUID(),
});

describe('licences expire at the end of their validity (against PostgreSQL)', () => {
  let now = new Date('2026-06-01T00:00:00Z');
  let app: Awaited<ReturnType<typeof openApplication>>;

  const createLicense = async (validity: LicenseManager.DatetimeRange) =>
    (await app.licenses.create(issuer, { ...definition(validity), ProductSKU: `sku-${randomUUID()}`, Beneficiary: 'customer' })).LicenseArn!;
  const statusOf = async (caller: Caller, arn: string) => (await app.licenseQueries.get(caller, { LicenseArn: arn })).License!.Status;
  const listedWithStatus = async (status: LicenseManager.LicenseStatus) =>
    (await app.licenseQueries.list(issuer, { Filters: [{ Name: 'Status', Values: [status] }] })).Licenses!.map((l) => l.LicenseArn);
  const expiryEvents = async (arn: string) =>
    (await app.infra.store.readAll()).filter((e) => e.type === 'LicenseExpired' && (e.data as { licenseArn: string }).licenseArn === arn);

  beforeAll(async () => {
    app = await openApplication({ now: () => now });
  });
  afterAll(async () => {
    await app?.infra.store.close();
    await app?.infra.db.destroy();
    await app?.database.drop();
  });

  it('refuses use from the end, reads EXPIRED once swept (one event for two concurrent sweeps), and revives with a new version', async () => {
    const arn = await createLicense({ Begin: BEGIN, End: END });
    const perpetual = await createLicense({ Begin: BEGIN });
    const { GrantArn } = await app.grants.create(issuer, {
      GrantName: 'g',
      LicenseArn: arn,
      Principals: [customer.principalArn],
      HomeRegion: region,
      AllowedOperations: ['CheckoutLicense'],
      ClientToken: randomUUID(),
    });
    await app.grants.accept(customer, GrantArn!);
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
    const received = await app.grantQueries.listReceivedLicenses(customer, { Filters: [{ Name: 'Status', Values: ['EXPIRED'] }] });
    expect(received.Licenses!.map((l) => [l.LicenseArn, l.Status])).toEqual([[arn, 'EXPIRED']]);
    // The version itself stays as the issuer wrote it; the licence's current status is EXPIRED.
    expect((await app.licenseQueries.listVersions(issuer, { LicenseArn: arn })).Licenses!.map((l) => l.Status)).toEqual(['AVAILABLE']);
    expect(await app.sweeps[1].sweep()).toBe(0);

    const renewed = await app.licenses.createVersion(issuer, { ...definition({ Begin: BEGIN, End: '2027-07-01T00:00:00Z' }), LicenseArn: arn, Status: 'AVAILABLE', SourceVersion: '1' });
    expect(renewed).toMatchObject({ Version: '2', Status: 'AVAILABLE' });
    expect(await statusOf(issuer, arn)).toBe('AVAILABLE');
    expect(await listedWithStatus('EXPIRED')).toEqual([]);
    expect(await app.access.usableLicenses(customer, 'CheckoutLicense', { licenseArn: arn })).toHaveLength(1);
    expect(await app.sweeps[0].sweep()).toBe(0);

    now = new Date('2027-07-01T00:00:00Z');
    expect(await app.sweeps[0].sweep()).toBe(1);
    expect(await expiryEvents(arn)).toMatchObject([{ data: { version: '1' } }, { data: { version: '2', validityEnd: '2027-07-01T00:00:00Z' } }]);
  });

  it('leaves deleted licences and other statuses alone', async () => {
    now = new Date('2026-06-01T00:00:00Z');
    const deleted = await createLicense({ Begin: BEGIN, End: END });
    await app.licenses.delete(issuer, { LicenseArn: deleted, SourceVersion: '1' });
    const suspended = await createLicense({ Begin: BEGIN, End: END });
    await app.licenses.createVersion(issuer, { ...definition({ Begin: BEGIN, End: END }), LicenseArn: suspended, Status: 'SUSPENDED' });
    now = new Date('2026-08-01T00:00:00Z');
    expect(await app.sweeps[0].sweep()).toBe(0);
    expect(await statusOf(issuer, deleted)).toBe('DELETED');
    expect(await statusOf(issuer, suspended)).toBe('SUSPENDED');
  });
});
