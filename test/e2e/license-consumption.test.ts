import { randomUUID } from 'node:crypto';
import {
  CheckInLicenseCommand,
  CheckoutBorrowLicenseCommand,
  CheckoutLicenseCommand,
  CreateGrantVersionCommand,
  CreateLicenseVersionCommand,
  ExtendLicenseConsumptionCommand,
  GetLicenseUsageCommand,
  type AllowedOperation,
  type Entitlement,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { verifyLicenseToken } from '@lm/license-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingAgent, licenseManager, rawRequest } from '../support/clients';
import { grantedLicense } from '../support/licenses';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/** Licence and grant changes reach consumption within this (LM_CONSUMPTION_LICENSE_CACHE_MS). */
const LICENSE_CACHE_MS = 200;
const afterLicenseChange = () => new Promise((resolve) => setTimeout(resolve, LICENSE_CACHE_MS + 50));
const CONSUMING_OPERATIONS: AllowedOperation[] = [
  'CheckoutLicense',
  'CheckoutBorrowLicense',
  'CheckInLicense',
  'ExtendConsumptionLicense',
];

describe('licence consumption through the gateway', () => {
  let system: RunningSystem;
  let issuer: LicenseManagerClient;
  let customer: LicenseManagerClient;
  let keyArn: string;
  let publicKeyDer: Buffer;
  let skus = 0;

  const kms = async (operation: string, body: object) => {
    const response = await rawRequest(system, {
      account: accounts.management,
      service: 'kms',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
      body: JSON.stringify(body),
    });
    expect(response.status, response.text).toBe(200);
    return response.json;
  };

  /** A licence of a product of its own, issued by the management account and granted to the member account. */
  const createLicense = (entitlements: Entitlement[], operations: AllowedOperation[] = [...CONSUMING_OPERATIONS]) =>
    grantedLicense(system, {
      issuer: accounts.management,
      grantee: accounts.member,
      signKey: keyArn,
      productSku: `sku-${++skus}`,
      entitlements,
      allowedOperations: operations,
      consumptionConfiguration: {
        RenewType: 'None',
        ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 },
        BorrowConfiguration: { AllowEarlyCheckIn: true, MaxTimeToLiveInMinutes: 120 },
      },
    });

  const checkout = (
    license: { sku: string; fingerprint: string },
    client = customer,
    Entitlements = [{ Name: 'Seats', Unit: 'Count' as const, Value: '1' }],
  ) =>
    client.send(
      new CheckoutLicenseCommand({
        ProductSKU: license.sku,
        KeyFingerprint: license.fingerprint,
        CheckoutType: 'PROVISIONAL',
        Entitlements,
        ClientToken: randomUUID(),
      }),
    );

  const consumedSeats = async (licenseArn: string, client = issuer) =>
    (await client.send(new GetLicenseUsageCommand({ LicenseArn: licenseArn }))).LicenseUsage!.EntitlementUsages!.find(
      (u) => u.Name === 'Seats',
    );

  beforeAll(async () => {
    system = await startSystem({ LM_CONSUMPTION_LICENSE_CACHE_MS: String(LICENSE_CACHE_MS) });
    issuer = licenseManager(system, accounts.management);
    customer = licenseManager(system, accounts.member);
    keyArn = (await kms('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.Arn;
    publicKeyDer = Buffer.from((await kms('GetPublicKey', { KeyId: keyArn })).PublicKey, 'base64');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('grants exactly 10 of 100 concurrent checkouts of one unit against MaxCount 10', async () => {
    const license = await createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }]);
    const agent = new CountingAgent();
    const concurrent = licenseManager(system, accounts.member, agent);
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => checkout(license, concurrent)));
    // More at once than the SDK's default agent (50 sockets) would ever have let through.
    expect(agent.peakInFlight).toBeGreaterThan(50);
    const granted = outcomes.filter((o) => o.status === 'fulfilled');
    const refusals = new Set(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).name] : [])));
    expect(granted).toHaveLength(10);
    expect(refusals).toEqual(new Set(['NoEntitlementsAllowedException']));
    expect(await consumedSeats(license.licenseArn)).toEqual({
      Name: 'Seats',
      Unit: 'Count',
      ConsumedValue: '10',
      MaxCount: '10',
    });
    expect(await consumedSeats(license.licenseArn, customer)).toMatchObject({ ConsumedValue: '10' });
    await expect(
      licenseManager(system, accounts.outsider).send(new GetLicenseUsageCommand({ LicenseArn: license.licenseArn })),
    ).rejects.toMatchObject({
      // The model gives GetLicenseUsage no ResourceNotFoundException: a licence the caller cannot see is a bad parameter.
      name: 'InvalidParameterValueException',
    });
  });

  it('checks in to give capacity back, extends (and dry-runs an extension), and refuses a second check-in', async () => {
    const license = await createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 1, AllowCheckIn: true }]);
    const first = await checkout(license);
    expect(first).toMatchObject({
      CheckoutType: 'PROVISIONAL',
      LicenseArn: license.licenseArn,
      LicenseConsumptionToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(new Date(first.Expiration!).getTime() - new Date(first.IssuedAt!).getTime()).toBe(3600_000);
    const payload = verifyLicenseToken(first.SignedToken!, publicKeyDer, { licenseArn: license.licenseArn });
    expect(payload.entitlementsAllowed).toEqual([{ name: 'Seats', unit: 'Count', value: '1' }]);
    await expect(checkout(license)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });

    const token = first.LicenseConsumptionToken!;
    const dryRun = await customer.send(
      new ExtendLicenseConsumptionCommand({ LicenseConsumptionToken: token, DryRun: true }),
    );
    expect(dryRun.Expiration).toEqual(first.Expiration);
    const extended = await customer.send(new ExtendLicenseConsumptionCommand({ LicenseConsumptionToken: token }));
    expect(new Date(extended.Expiration!).getTime()).toBeGreaterThanOrEqual(new Date(first.Expiration!).getTime());

    await expect(issuer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: token }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await customer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: token }));
    expect(await consumedSeats(license.licenseArn)).toMatchObject({ ConsumedValue: '0' });
    await expect(customer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: token }))).rejects.toMatchObject({
      name: 'ConflictException',
    });
    await checkout(license);
  });

  it('records overage beyond MaxCount when the entitlement allows it', async () => {
    const license = await createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 1, Overage: true }]);
    await checkout(license, customer, [{ Name: 'Seats', Unit: 'Count', Value: '3' }]);
    expect(await consumedSeats(license.licenseArn)).toMatchObject({ ConsumedValue: '3', MaxCount: '1' });
  });

  it('borrows with a JWT_PS384 token that verifies offline with the key from GetPublicKey, and only with JWT_PS384', async () => {
    const license = await createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 5 }]);
    const borrowed = await customer.send(
      new CheckoutBorrowLicenseCommand({
        LicenseArn: license.licenseArn,
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '2' }],
        DigitalSignatureMethod: 'JWT_PS384',
        NodeId: 'laptop-7',
        CheckoutMetadata: [{ Name: 'Mac', Value: 'ABCDEFGHI' }],
        ClientToken: randomUUID(),
      }),
    );
    expect(new Date(borrowed.Expiration!).getTime() - new Date(borrowed.IssuedAt!).getTime()).toBe(120 * 60_000);
    const bound = { licenseArn: license.licenseArn, nodeId: 'laptop-7', checkoutMetadata: { Mac: 'ABCDEFGHI' } };
    const payload = verifyLicenseToken(borrowed.SignedToken!, publicKeyDer, bound);
    expect(payload).toMatchObject({
      licenseConsumptionToken: borrowed.LicenseConsumptionToken,
      nodeId: 'laptop-7',
      checkoutMetadata: { Mac: 'ABCDEFGHI' },
    });
    const [header, body, signature] = borrowed.SignedToken!.split('.');
    const tampered = Buffer.from(body, 'base64url');
    tampered[10] ^= 1;
    expect(() =>
      verifyLicenseToken([header, tampered.toString('base64url'), signature].join('.'), publicKeyDer, bound),
    ).toThrow();

    await expect(
      customer.send(
        new CheckoutBorrowLicenseCommand({
          LicenseArn: license.licenseArn,
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
          DigitalSignatureMethod: 'JWT_PS256' as 'JWT_PS384',
          ClientToken: randomUUID(),
        }),
      ),
    ).rejects.toMatchObject({ name: 'UnsupportedDigitalSignatureMethodException', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses outsiders, grantees without the operation, deactivated licences and disabled grants', async () => {
    const license = await createLicense(
      [{ Name: 'Seats', Unit: 'Count', MaxCount: 5, AllowCheckIn: true }],
      ['CheckoutLicense'],
    );
    await expect(checkout(license, licenseManager(system, accounts.outsider))).rejects.toMatchObject({
      name: 'NoEntitlementsAllowedException',
    });
    const { LicenseConsumptionToken } = await checkout(license);
    await expect(customer.send(new CheckInLicenseCommand({ LicenseConsumptionToken }))).rejects.toMatchObject({
      name: 'AuthorizationException',
    });
    await expect(
      customer.send(
        new CheckoutBorrowLicenseCommand({
          LicenseArn: license.licenseArn,
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
          DigitalSignatureMethod: 'JWT_PS384',
          ClientToken: randomUUID(),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });
    await expect(checkout(license, issuer)).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    const forCustomer = await issuer.send(
      new CheckoutLicenseCommand({
        ProductSKU: license.sku,
        KeyFingerprint: license.fingerprint,
        CheckoutType: 'PROVISIONAL',
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
        Beneficiary: 'customer@example.com',
        ClientToken: randomUUID(),
      }),
    );
    expect(forCustomer.LicenseArn).toBe(license.licenseArn);

    const disabled = await createLicense([{ Name: 'Seats', Unit: 'Count', MaxCount: 5 }]);
    await checkout(disabled);
    await issuer.send(
      new CreateGrantVersionCommand({ GrantArn: disabled.grantArn, Status: 'DISABLED', ClientToken: randomUUID() }),
    );
    await afterLicenseChange();
    await expect(checkout(disabled)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });

    const { license: document } = license;
    await issuer.send(
      new CreateLicenseVersionCommand({
        LicenseArn: license.licenseArn,
        LicenseName: document.LicenseName!,
        ProductName: document.ProductName!,
        Issuer: { Name: document.Issuer!.Name!, SignKey: keyArn },
        HomeRegion: document.HomeRegion!,
        Validity: document.Validity!,
        Entitlements: document.Entitlements!,
        ConsumptionConfiguration: document.ConsumptionConfiguration!,
        Status: 'DEACTIVATED',
        ClientToken: randomUUID(),
      }),
    );
    await afterLicenseChange();
    await expect(checkout(license)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });
  });
});
