import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { LicenseManager } from '@lm/api-model';
import { signLicenseToken, verifyLicenseToken } from '@lm/license-token';
import type { Caller } from '@lm/contracts';
import { ManualClock, MasterKey } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LicenseAccess, type AccessibleLicense, type LicenseSelector } from '../src/grants/application/license-access';
import { LicenseConsumptionCommands } from '../src/consumption/application/license-consumption.commands';
import { ConsumableLicenses } from '../src/consumption/application/license-consumption.licenses';
import { LicenseConsumptionQueries } from '../src/consumption/application/license-consumption.queries';
import { ConsumptionTokens } from '../src/consumption/application/consumption-tokens';
import { ConsumptionRecords } from '../src/consumption/application/license-consumption.records';
import { ConsumptionSettings } from '../src/consumption/application/license-consumption.settings';
import { LicenseConsumptionSweep } from '../src/consumption/application/license-consumption.sweep';
import { LicenseUsageStreams } from '../src/consumption/application/license-usage-streams';
import { licenseConsumptionsProjection } from '../src/consumption/application/license-consumption.projection';
import type { LicenseUsageEvent } from '../src/consumption/domain/events';
import { applyProjection, type Recorded } from '@lm/event-store';
import { SigningKeys, type IssuerKey } from '../src/signing-keys/application/signing-keys';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { GrantsService } from '../src/grants.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const MINUTE = 60_000;
const t0 = new Date('2026-03-01T12:00:00Z');

const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
});
const issuer = callerOf('111111111111');
const customer = callerOf('222222222222');
const outsider = callerOf('333333333333');

const FINGERPRINT = 'aws:111111111111:issuer:fingerprint';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/issuer';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** The issuer key, held by the test: it signs as the key store would. */
class TestSigningKeys extends SigningKeys {
  resolveIssuerKey(): Promise<IssuerKey> {
    return Promise.resolve({ keyArn: KEY_ARN, keyFingerprint: FINGERPRINT });
  }
  async signToken(keyArn: string, payload: Parameters<SigningKeys['signToken']>[1]): Promise<string> {
    expect(keyArn).toBe(KEY_ARN);
    return signLicenseToken(payload, privateKey, 'PS384', { kid: keyArn });
  }
  async assertCanSign(keyArn: string): Promise<void> {
    expect(keyArn).toBe(KEY_ARN);
  }
}

type License = AccessibleLicense['license'];

/** The licences and grants this suite sets up: the issuer reaches its licences, the customer through a grant of `operations`. */
class TestLicenseAccess extends LicenseAccess {
  readonly licenses = new Map<string, License>();
  readonly grantedOperations = new Map<string, LicenseManager.AllowedOperation[]>();

  async usableLicenses(
    caller: Caller,
    operation: LicenseManager.AllowedOperation,
    selector: LicenseSelector,
  ): Promise<AccessibleLicense[]> {
    return [...this.licenses.values()]
      .filter((license) => license.Status === 'AVAILABLE')
      .filter((license) =>
        'licenseArn' in selector
          ? license.LicenseArn === selector.licenseArn
          : license.ProductSKU === selector.productSku && license.Issuer?.KeyFingerprint === selector.keyFingerprint,
      )
      .flatMap((license): AccessibleLicense[] => {
        if (caller.accountId === issuer.accountId)
          return [{ license, issuerAccountId: issuer.accountId, route: { kind: 'issuer' } }];
        const operations = this.grantedOperations.get(`${license.LicenseArn}|${caller.accountId}`) ?? [];
        return operations.includes(operation)
          ? [
              {
                license,
                issuerAccountId: issuer.accountId,
                route: {
                  kind: 'grant',
                  grantArn: 'arn:aws:license-manager::111111111111:grant:g-1',
                  grantedOperations: operations,
                },
              },
            ]
          : [];
      });
  }

  async readableLicense(caller: Caller, licenseArn: string): Promise<AccessibleLicense> {
    const [found] = await this.usableLicenses(caller, 'CheckoutLicense', { licenseArn });
    if (!found)
      throw Object.assign(new Error(`License ${licenseArn} does not exist.`), { code: 'ResourceNotFoundException' });
    return found;
  }
}

let licenseCount = 0;
const CONSUMPTION: LicenseManager.ConsumptionConfiguration = {
  ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 },
  BorrowConfiguration: { AllowEarlyCheckIn: true, MaxTimeToLiveInMinutes: 240 },
};

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; message: string }) => error,
  );
const seat = (value = '1'): LicenseManager.EntitlementData => ({ Name: 'Seats', Unit: 'Count', Value: value });

describe('license consumption against PostgreSQL', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  const clock = new ManualClock(t0);
  const access = new TestLicenseAccess();
  let commands: LicenseConsumptionCommands;
  let queries: LicenseConsumptionQueries;
  let sweep: LicenseConsumptionSweep;
  /** A second process on the same database: its own states, batcher and caches. */
  let replica: LicenseConsumptionCommands;
  let clientTokens = 0;

  /** The deployment's master key, the same for every replica: each makes and reads the others' tokens. */
  const tokens = new ConsumptionTokens(new MasterKey(randomBytes(32)));
  const wire = (usage: LicenseUsageStreams) => {
    const licenses = new ConsumableLicenses(access, infra.db, new ConsumptionSettings(0));
    return {
      licenses,
      commands: new LicenseConsumptionCommands(
        licenses,
        usage,
        new ConsumptionRecords(infra.db),
        new TestSigningKeys(),
        tokens,
        clock,
      ),
    };
  };

  /** A licence of its own product for each test, granted to the customer for `operations`. */
  const createLicense = (
    entitlements: LicenseManager.Entitlement[],
    options: {
      consumption?: LicenseManager.ConsumptionConfiguration;
      operations?: LicenseManager.AllowedOperation[];
    } = {},
  ): License => {
    licenseCount += 1;
    const license: License = {
      LicenseArn: `arn:aws:license-manager::111111111111:license:l-${licenseCount.toString(16).padStart(32, '0')}`,
      LicenseName: `licence ${licenseCount}`,
      ProductName: 'Product',
      ProductSKU: `sku-${licenseCount}`,
      Issuer: { Name: 'Issuer', SignKey: KEY_ARN, KeyFingerprint: FINGERPRINT },
      HomeRegion: 'us-east-1',
      Status: 'AVAILABLE',
      Validity: { Begin: '2026-01-01T00:00:00Z' },
      Beneficiary: 'customer@example.com',
      Entitlements: entitlements,
      ConsumptionConfiguration: options.consumption ?? CONSUMPTION,
      Version: '1',
    };
    access.licenses.set(license.LicenseArn, license);
    access.grantedOperations.set(
      `${license.LicenseArn}|${customer.accountId}`,
      options.operations ?? ['CheckoutLicense', 'CheckoutBorrowLicense', 'CheckInLicense', 'ExtendConsumptionLicense'],
    );
    return license;
  };

  const checkout = (
    license: License,
    input: Partial<LicenseManager.CheckoutLicenseRequest> = {},
    caller = customer,
    through = commands,
  ) =>
    through.checkout(caller, {
      ProductSKU: license.ProductSKU!,
      KeyFingerprint: FINGERPRINT,
      CheckoutType: 'PROVISIONAL',
      Entitlements: [seat()],
      ClientToken: `client-${++clientTokens}`,
      ...input,
    });

  const consumed = async (license: License, caller = customer) =>
    Object.fromEntries(
      (await queries.usageOf(caller, license.LicenseArn)).LicenseUsage!.EntitlementUsages!.map((u) => [
        u.Name,
        u.ConsumedValue,
      ]),
    );

  const usageEvents = async (license: License) =>
    (
      await sql<{
        type: string;
        data: Record<string, unknown>;
      }>`select type, data from grants.events where stream_name = ${`license-usage-${license.LicenseArn.split(':').pop()}`} order by stream_version`.execute(
        infra.db,
      )
    ).rows;

  beforeAll(async () => {
    database = await createTestDatabase('lm_grants');
    infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
    const usage = new LicenseUsageStreams(infra.store);
    const wired = wire(usage);
    commands = wired.commands;
    queries = new LicenseConsumptionQueries(wired.licenses, usage, clock);
    sweep = new LicenseConsumptionSweep(infra.db, usage, clock);
    replica = wire(new LicenseUsageStreams(infra.store)).commands;
  });
  afterAll(async () => {
    await infra?.store.close();
    await infra?.db.destroy();
    await database?.drop();
  });
  beforeEach(() => {
    clock.set(t0);
  });

  it('grants exactly MaxCount of 100 concurrent checkouts, whichever process decides them', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => checkout(license, {}, customer, i % 2 === 0 ? commands : replica)),
    );
    const granted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code: string }).code] : []));
    expect(granted).toHaveLength(10);
    expect(new Set(refused)).toEqual(new Set(['NoEntitlementsAllowedException']));
    expect(await consumed(license)).toEqual({ Seats: '10' });
    expect((await usageEvents(license)).filter((e) => e.type === 'LicenseCheckedOut')).toHaveLength(10);
  });

  it('answers a checkout with a PS384 token over the guide payload, lasting the provisional time to live', async () => {
    const license = createLicense([
      { Name: 'Seats', Unit: 'Count', MaxCount: 5 },
      { Name: 'Tier', Unit: 'None', Value: 'Platinum' },
    ]);
    const answer = await checkout(license, {
      Entitlements: [seat('2'), { Name: 'Tier', Unit: 'None' }],
      NodeId: '10.0.21.57',
    });
    expect(answer).toEqual({
      CheckoutType: 'PROVISIONAL',
      LicenseConsumptionToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      EntitlementsAllowed: [seat('2'), { Name: 'Tier', Unit: 'None', Value: 'Platinum' }],
      SignedToken: expect.any(String),
      NodeId: '10.0.21.57',
      IssuedAt: t0.toISOString(),
      Expiration: new Date(t0.getTime() + 60 * MINUTE).toISOString(),
      LicenseArn: license.LicenseArn,
    });
    const payload = verifyLicenseToken(answer.SignedToken!, publicKey, {
      now: t0,
      licenseArn: license.LicenseArn,
      nodeId: '10.0.21.57',
    });
    expect(payload).toEqual({
      entitlementsAllowed: [
        { name: 'Seats', unit: 'Count', value: '2' },
        { name: 'Tier', unit: 'None', value: 'Platinum' },
      ],
      expiration: '2026-03-01T13:00:00',
      issuedAt: '2026-03-01T12:00:00',
      licenseArn: license.LicenseArn,
      licenseConsumptionToken: answer.LicenseConsumptionToken,
      nodeId: '10.0.21.57',
    });
    // The unlimited entitlement is granted, never counted.
    expect(await consumed(license)).toEqual({ Seats: '2', Tier: '0' });
    const [event] = await usageEvents(license);
    expect(JSON.stringify(event.data)).not.toContain(answer.SignedToken!.split('.')[2]);
  });

  it('gives a lease back when its time runs out (no sweep needed), and the sweep records it', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 1, AllowCheckIn: true }]);
    const first = await checkout(license);
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');

    clock.advance(59 * MINUTE);
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');
    clock.advance(1 * MINUTE);
    expect(await consumed(license)).toEqual({ Seats: '0' });
    const second = await checkout(license);

    // Leases of the other tests ended at the same time: the sweep records them all, once.
    expect(await sweep.sweep()).toBeGreaterThanOrEqual(1);
    expect(await sweep.sweep()).toBe(0);
    expect((await usageEvents(license)).map((e) => e.type)).toEqual([
      'LicenseCheckedOut',
      'LicenseCheckedOut',
      'LicenseConsumptionExpired',
    ]);
    const { rows } = await sql<{
      consumption_token: string;
      status: string;
    }>`select consumption_token, status from grants.license_consumptions where license_arn = ${license.LicenseArn}`.execute(
      infra.db,
    );
    // The view names a lease by its id, the token's first half: the token itself is never kept.
    expect(Object.fromEntries(rows.map((r) => [r.consumption_token, r.status]))).toEqual({
      [first.LicenseConsumptionToken!.slice(0, 16)]: 'EXPIRED',
      [second.LicenseConsumptionToken!.slice(0, 16)]: 'ACTIVE',
    });
    expect(
      (await errorOf(commands.checkIn(customer, { LicenseConsumptionToken: first.LicenseConsumptionToken! })))?.code,
    ).toBe('ConflictException');
    expect(
      (await errorOf(commands.extend(customer, { LicenseConsumptionToken: first.LicenseConsumptionToken! })))?.code,
    ).toBe('ResourceNotFoundException');
  });

  it('checks a lease in, giving its units back; only the account that holds it, and only once', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 1, AllowCheckIn: true }]);
    const { LicenseConsumptionToken } = await checkout(license);
    expect(
      (await errorOf(commands.checkIn(outsider, { LicenseConsumptionToken: LicenseConsumptionToken! })))?.code,
    ).toBe('ResourceNotFoundException');
    expect((await errorOf(commands.checkIn(customer, { LicenseConsumptionToken: 'f'.repeat(32) })))?.code).toBe(
      'ResourceNotFoundException',
    );
    expect(await commands.checkIn(customer, { LicenseConsumptionToken: LicenseConsumptionToken! })).toEqual({});
    expect(await consumed(license)).toEqual({ Seats: '0' });
    expect(
      (await errorOf(replica.checkIn(customer, { LicenseConsumptionToken: LicenseConsumptionToken! })))?.code,
    ).toBe('ConflictException');
    await checkout(license);
  });

  it('refuses check-in of entitlements that do not allow it, and of perpetual checkouts', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 5 }]);
    const provisional = await checkout(license);
    expect(
      await errorOf(commands.checkIn(customer, { LicenseConsumptionToken: provisional.LicenseConsumptionToken! })),
    ).toMatchObject({
      code: 'InvalidParameterValueException',
      message: expect.stringContaining('does not allow check-in'),
    });
    const perpetual = await checkout(license, { CheckoutType: 'PERPETUAL', Entitlements: [seat('3')] });
    expect(
      (await errorOf(commands.checkIn(customer, { LicenseConsumptionToken: perpetual.LicenseConsumptionToken! })))
        ?.code,
    ).toBe('InvalidParameterValueException');
    clock.advance(24 * 60 * MINUTE);
    expect(await consumed(license)).toEqual({ Seats: '3' });
  });

  it('records the overage of an entitlement that allows it', async () => {
    const license = createLicense([{ Name: 'Requests', Unit: 'Count', MaxCount: 2, Overage: true }]);
    await checkout(license, {
      CheckoutType: 'PERPETUAL',
      Entitlements: [{ Name: 'Requests', Unit: 'Count', Value: '3' }],
    });
    await checkout(license, {
      CheckoutType: 'PERPETUAL',
      Entitlements: [{ Name: 'Requests', Unit: 'Count', Value: '2' }],
    });
    expect(await consumed(license)).toEqual({ Requests: '5' });
    expect((await usageEvents(license)).map((e) => e.data.overage)).toEqual([
      [{ name: 'Requests', unit: 'Count', overBy: 1 }],
      [{ name: 'Requests', unit: 'Count', overBy: 2 }],
    ]);
  });

  it('answers a repeated ClientToken, and a node asking again, with the lease they hold', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 2 }]);
    const first = await checkout(license, { ClientToken: 'same' });
    clock.advance(1 * MINUTE);
    const again = await checkout(license, { ClientToken: 'same' }, customer, replica);
    expect({ ...again, SignedToken: undefined }).toEqual({ ...first, SignedToken: undefined });
    const node = await checkout(license, { NodeId: 'node-1' });
    const nodeAgain = await checkout(license, { NodeId: 'node-1' });
    expect(nodeAgain.LicenseConsumptionToken).toBe(node.LicenseConsumptionToken);
    expect(await consumed(license)).toEqual({ Seats: '2' });
  });

  it('extends a lease from now by the time to live; a dry run changes nothing', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 1 }]);
    const { LicenseConsumptionToken, Expiration } = await checkout(license);
    clock.advance(50 * MINUTE);
    expect(
      await commands.extend(customer, { LicenseConsumptionToken: LicenseConsumptionToken!, DryRun: true }),
    ).toEqual({ LicenseConsumptionToken, Expiration });
    expect(await commands.extend(customer, { LicenseConsumptionToken: LicenseConsumptionToken! })).toEqual({
      LicenseConsumptionToken,
      Expiration: new Date(clock.now().getTime() + 60 * MINUTE).toISOString(),
    });
    clock.advance(50 * MINUTE);
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');
    clock.advance(10 * MINUTE);
    await checkout(license);
  });

  it('borrows all or nothing with a token verifiable offline; JWT_PS384 only, and only with a borrow configuration', async () => {
    const license = createLicense([
      { Name: 'Seats', Unit: 'Count', MaxCount: 2 },
      { Name: 'Cores', Unit: 'Count', MaxCount: 4 },
    ]);
    const borrow = (input: Partial<LicenseManager.CheckoutBorrowLicenseRequest>, of = license) =>
      commands.borrow(customer, {
        LicenseArn: of.LicenseArn,
        Entitlements: [seat()],
        DigitalSignatureMethod: 'JWT_PS384',
        ClientToken: `client-${++clientTokens}`,
        ...input,
      });
    const answer = await borrow({ NodeId: 'laptop', CheckoutMetadata: [{ Name: 'Mac', Value: 'ABCDEFGHI' }] });
    expect(answer.Expiration).toBe(new Date(t0.getTime() + 240 * MINUTE).toISOString());
    expect(answer.CheckoutMetadata).toEqual([{ Name: 'Mac', Value: 'ABCDEFGHI' }]);
    const payload = verifyLicenseToken(answer.SignedToken!, publicKey.export({ type: 'spki', format: 'der' }), {
      now: t0,
      nodeId: 'laptop',
      checkoutMetadata: { Mac: 'ABCDEFGHI' },
    });
    expect(payload.checkoutMetadata).toEqual({ Mac: 'ABCDEFGHI' });
    const [header, body, signature] = answer.SignedToken!.split('.');
    const changed = Buffer.from(body, 'base64url');
    changed[changed.length - 2] ^= 1;
    expect(() =>
      verifyLicenseToken([header, changed.toString('base64url'), signature].join('.'), publicKey, {
        now: t0,
        nodeId: 'laptop',
        checkoutMetadata: { Mac: 'ABCDEFGHI' },
      }),
    ).toThrow(/signature/);

    expect(
      (await errorOf(borrow({ Entitlements: [seat(), { Name: 'Cores', Unit: 'Count', Value: '5' }] })))?.code,
    ).toBe('NoEntitlementsAllowedException');
    expect((await errorOf(borrow({ Entitlements: [{ Name: 'Storage', Unit: 'Gigabytes', Value: '1' }] })))?.code).toBe(
      'EntitlementNotAllowedException',
    );
    expect(await consumed(license)).toEqual({ Seats: '1', Cores: '0' });
    expect((await errorOf(borrow({ DigitalSignatureMethod: 'JWT_PS256' as 'JWT_PS384' })))?.code).toBe(
      'UnsupportedDigitalSignatureMethodException',
    );
    const provisionalOnly = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 2 }], {
      consumption: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 30 } },
    });
    expect((await errorOf(borrow({}, provisionalOnly)))?.code).toBe('EntitlementNotAllowedException');
    // Early check-in as the borrow configuration allows.
    expect(await commands.checkIn(customer, { LicenseConsumptionToken: answer.LicenseConsumptionToken! })).toEqual({});
  });

  it('refuses outsiders, grantees without the operation, the issuer without a Beneficiary, and licences no longer available', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 5, AllowCheckIn: true }], {
      operations: ['CheckoutLicense'],
    });
    expect((await errorOf(checkout(license, {}, outsider)))?.code).toBe('NoEntitlementsAllowedException');
    const { LicenseConsumptionToken } = await checkout(license);
    expect(
      (await errorOf(commands.checkIn(customer, { LicenseConsumptionToken: LicenseConsumptionToken! })))?.code,
    ).toBe('AuthorizationException');
    expect(
      (await errorOf(commands.extend(customer, { LicenseConsumptionToken: LicenseConsumptionToken!, DryRun: true })))
        ?.code,
    ).toBe('AuthorizationException');
    expect((await errorOf(checkout(license, {}, issuer)))?.code).toBe('InvalidParameterValueException');
    expect((await errorOf(checkout(license, { Beneficiary: 'someone-else' }, issuer)))?.code).toBe(
      'NoEntitlementsAllowedException',
    );
    // A Beneficiary limits the checkout to the caller's own licences: the grantee is told to drop it.
    expect(await errorOf(checkout(license, { Beneficiary: 'customer@example.com' }))).toMatchObject({
      code: 'InvalidParameterValueException',
      message: expect.stringMatching(
        new RegExp(`${license.LicenseArn} was granted to it: check it out without Beneficiary`),
      ),
    });
    const forBeneficiary = await checkout(license, { Beneficiary: 'customer@example.com' }, issuer);
    expect(
      await commands.checkIn(issuer, {
        LicenseConsumptionToken: forBeneficiary.LicenseConsumptionToken!,
        Beneficiary: 'customer@example.com',
      }),
    ).toEqual({});

    access.licenses.set(license.LicenseArn, { ...license, Status: 'DEACTIVATED' });
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');
  });

  it('counts from zero again once a licence version resets usage', async () => {
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 2 }]);
    await checkout(license, { CheckoutType: 'PERPETUAL', Entitlements: [seat('2')] });
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');
    await sql`insert into grants.license_usage_epochs (license_id, usage_epoch) values (${license.LicenseArn.split(':').pop()}, 2)`.execute(
      infra.db,
    );
    access.licenses.set(license.LicenseArn, { ...license, Version: '2' });
    expect(await consumed(license)).toEqual({ Seats: '0' });
    await checkout(license);
    expect(await consumed(license)).toEqual({ Seats: '1' });
    expect((await usageEvents(license)).map((e) => e.type)).toEqual([
      'LicenseCheckedOut',
      'LicenseUsageReset',
      'LicenseCheckedOut',
    ]);
  });

  it('keeps leases right while the clock jumps back and forward by hours', async () => {
    const HOUR = 60 * MINUTE;
    const license = createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 1, AllowCheckIn: true }]);
    const first = await checkout(license);
    const firstLeaseEnds = first.Expiration;

    // Three hours back: the lease is still held, its seat still taken, and nothing ends it.
    clock.set(new Date(t0.getTime() - 3 * HOUR));
    expect(await consumed(license)).toEqual({ Seats: '1' });
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');
    // An extension while the clock is behind never ends the lease earlier than it was to end.
    const extended = await commands.extend(customer, { LicenseConsumptionToken: first.LicenseConsumptionToken! });
    expect(new Date(extended.Expiration!).getTime()).toBeGreaterThanOrEqual(new Date(firstLeaseEnds!).getTime());
    await sweep.sweep();
    expect((await usageEvents(license)).map((e) => e.type)).toEqual([
      'LicenseCheckedOut',
      'LicenseConsumptionExtended',
    ]);

    // Back to the present: the lease runs to the end it had.
    clock.set(new Date(t0.getTime() + 59 * MINUTE));
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');

    // Three hours ahead: the lease has run out, its seat is free, the sweep records its end once.
    clock.set(new Date(t0.getTime() + 3 * HOUR));
    expect(await consumed(license)).toEqual({ Seats: '0' });
    const second = await checkout(license);
    await sweep.sweep();
    await sweep.sweep();
    expect((await usageEvents(license)).filter((e) => e.type === 'LicenseConsumptionExpired')).toHaveLength(1);

    // And back again: the ended lease stays ended (never counted again), the new one holds the seat.
    clock.set(t0);
    expect(await consumed(license)).toEqual({ Seats: '1' });
    expect((await errorOf(checkout(license)))?.code).toBe('NoEntitlementsAllowedException');
    expect(
      (await errorOf(commands.checkIn(customer, { LicenseConsumptionToken: first.LicenseConsumptionToken! })))?.code,
    ).toBe('ConflictException');
    await commands.checkIn(customer, { LicenseConsumptionToken: second.LicenseConsumptionToken! });
    expect(await consumed(license)).toEqual({ Seats: '0' });
  });

  it('the license_consumptions view applies a batch in order: a lease checked out and ended in one batch (a replay) ends, and a row that ended stays as it is', async () => {
    const arn = 'arn:aws:license-manager::111111111111:license:l-00000000000000000000000000000fold';
    const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE).toISOString();
    const checkedOut = (token: string, kind = 'PROVISIONAL') => ({
      type: 'LicenseCheckedOut',
      data: {
        consumptionToken: token,
        licenseArn: arn,
        accountId: issuer.accountId,
        kind,
        issuedAt: at(0),
        expiration: at(60),
      },
    });
    const extended = (token: string, minutes: number) => ({
      type: 'LicenseConsumptionExtended',
      data: { consumptionToken: token, licenseArn: arn, expiration: at(minutes), extendedAt: at(1) },
    });
    const checkedIn = (token: string) => ({
      type: 'LicenseCheckedIn',
      data: { consumptionToken: token, licenseArn: arn },
    });
    const expired = (token: string) => ({
      type: 'LicenseConsumptionExpired',
      data: { consumptionToken: token, licenseArn: arn },
    });
    const project = (events: object[]) =>
      infra.db
        .transaction()
        .execute((trx) => applyProjection(licenseConsumptionsProjection, events as Recorded<LicenseUsageEvent>[], trx));
    const view = async () => {
      const { rows } = await sql<{ consumption_token: string; status: string; expiration: Date }>`
        select consumption_token, status, expiration from grants.license_consumptions where license_arn = ${arn}`.execute(
        infra.db,
      );
      return Object.fromEntries(rows.map((r) => [r.consumption_token, [r.status, r.expiration.toISOString()]]));
    };

    // A replayed history brings a lease's checkout and its end in one batch.
    await project([checkedOut('x'), checkedOut('y'), checkedOut('p', 'PERPETUAL'), extended('x', 90), checkedIn('y')]);
    expect(await view()).toEqual({ x: ['ACTIVE', at(90)], y: ['CHECKED_IN', at(60)], p: ['CONSUMED', at(60)] });

    // Rows found ACTIVE are ended or extended; one that has ended is left as it is; a checkout seen again changes nothing.
    await project([
      checkedOut('z'),
      extended('x', 120),
      expired('x'),
      extended('y', 120),
      checkedOut('y'),
      extended('z', 75),
    ]);
    expect(await view()).toEqual({
      x: ['EXPIRED', at(120)],
      y: ['CHECKED_IN', at(60)],
      p: ['CONSUMED', at(60)],
      z: ['ACTIVE', at(75)],
    });

    // Leases checked in and expired in one batch; a lease extended twice keeps its last extension;
    // ends of leases that ended already, or of a perpetual checkout, change nothing.
    await project([
      checkedOut('v'),
      checkedOut('w'),
      extended('z', 80),
      extended('z', 85),
      checkedIn('v'),
      expired('w'),
      checkedIn('p'),
      expired('y'),
      checkedIn('x'),
    ]);
    expect(await view()).toEqual({
      x: ['EXPIRED', at(120)],
      y: ['CHECKED_IN', at(60)],
      p: ['CONSUMED', at(60)],
      z: ['ACTIVE', at(85)],
      v: ['CHECKED_IN', at(60)],
      w: ['EXPIRED', at(60)],
    });
  });
});
