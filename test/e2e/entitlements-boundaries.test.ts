import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLicenseManager, rawRequest, type RawResponse } from '../support/clients';
import { accounts, principals, startSystem, type RunningSystem } from '../support/system';

type Account = typeof accounts.management;
const issuer = accounts.management;
const grantee = accounts.member;
const stranger = accounts.outsider;
/** A grantee in the organization whose grant allows checkout only. */
const checkoutOnly = accounts.nestedMember;

/** One call of a case table: who calls which operation of which API with what, and the error it must get. */
interface RefusalCase {
  name: string;
  account: Account;
  api: 'license-manager' | 'kms';
  operation: string;
  body: unknown;
  error: string;
}

/**
 * The grants service's boundaries on what licences-and-grants tests leave out: bad input on every
 * consumption, token, signing-key and tag operation, and another account trying each of them on
 * what it was not granted. Every case gets the model's error, and nothing stored changes.
 */
describe('managed entitlements: bad input and other accounts on consumption, tokens, keys and tags', () => {
  let system: RunningSystem;
  let keyArn: string;
  let licenseArn: string;
  let grantArn: string;
  let fingerprint: string;
  let consumptionToken: string;
  let tokenId: string;
  let refreshToken: string;

  const call = (account: Account, api: RefusalCase['api'], operation: string, body: unknown): Promise<RawResponse> =>
    api === 'kms'
      ? rawRequest(system, {
          account,
          service: 'kms',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        })
      : callLicenseManager(system, account, operation, body);
  const ok = async (account: Account, api: RefusalCase['api'], operation: string, body: unknown) => {
    const response = await call(account, api, operation, body);
    expect(response.status, `${operation}: ${response.text}`).toBe(200);
    return response.json;
  };
  const checkoutRequest = (changes: object = {}) => ({
    ProductSKU: 'boundaries-sku',
    CheckoutType: 'PROVISIONAL',
    KeyFingerprint: fingerprint,
    Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
    ClientToken: randomUUID(),
    ...changes,
  });

  /** What the cases could change: usage, tokens, keys, licence versions, grants, tags. */
  const snapshot = async () => ({
    usage: await ok(issuer, 'license-manager', 'GetLicenseUsage', { LicenseArn: licenseArn }),
    tokens: await ok(issuer, 'license-manager', 'ListTokens', {}),
    keys: await ok(issuer, 'kms', 'ListKeys', {}),
    strangerKeys: await ok(stranger, 'kms', 'ListKeys', {}),
    key: await ok(issuer, 'kms', 'DescribeKey', { KeyId: keyArn }),
    versions: await ok(issuer, 'license-manager', 'ListLicenseVersions', { LicenseArn: licenseArn }),
    grants: await ok(issuer, 'license-manager', 'ListDistributedGrants', {}),
    licenseTags: await ok(issuer, 'license-manager', 'ListTagsForResource', { ResourceArn: licenseArn }),
    grantTags: await ok(issuer, 'license-manager', 'ListTagsForResource', { ResourceArn: grantArn }),
  });

  /** Runs every case, then compares all outcomes at once, so that one run shows every difference. */
  const expectRefusals = async (cases: RefusalCase[]) => {
    const before = await snapshot();
    const outcomes = [];
    for (const c of cases) {
      const response = await call(c.account, c.api, c.operation, c.body);
      outcomes.push({
        case: `${c.operation}: ${c.name}`,
        status: response.status,
        error: String(response.json?.__type ?? response.text)
          .split('#')
          .pop(),
      });
    }
    expect(outcomes).toEqual(
      cases.map((c) => ({
        case: `${c.operation}: ${c.name}`,
        status: expect.toSatisfy((s: number) => s >= 400 && s < 500),
        error: c.error,
      })),
    );
    expect(await snapshot()).toEqual(before);
  };

  beforeAll(async () => {
    system = await startSystem();
    keyArn = (await ok(issuer, 'kms', 'CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.Arn;
    ({ LicenseArn: licenseArn } = await ok(issuer, 'license-manager', 'CreateLicense', {
      LicenseName: 'Boundaries',
      ProductName: 'Boundaries',
      ProductSKU: 'boundaries-sku',
      Issuer: { Name: 'Example ISV', SignKey: keyArn },
      HomeRegion: system.region,
      Validity: { Begin: '2026-01-01T00:00:00Z' },
      Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }],
      Beneficiary: 'customer',
      ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      ClientToken: randomUUID(),
    }));
    fingerprint = (await ok(issuer, 'license-manager', 'GetLicense', { LicenseArn: licenseArn })).License.Issuer
      .KeyFingerprint;
    const grant = (account: Account, operations: string[]) =>
      ok(issuer, 'license-manager', 'CreateGrant', {
        GrantName: `for ${account.accountId}`,
        LicenseArn: licenseArn,
        Principals: [principals.account(account)],
        HomeRegion: system.region,
        AllowedOperations: operations,
        ClientToken: randomUUID(),
      });
    ({ GrantArn: grantArn } = await grant(grantee, ['CheckoutLicense', 'CheckInLicense', 'ExtendConsumptionLicense']));
    const acceptAndActivate = async (account: Account, GrantArn: string) => {
      await ok(account, 'license-manager', 'AcceptGrant', { GrantArn });
      await ok(account, 'license-manager', 'CreateGrantVersion', {
        GrantArn,
        Status: 'ACTIVE',
        ClientToken: randomUUID(),
      });
    };
    await acceptAndActivate(grantee, grantArn);
    const { GrantArn: checkoutOnlyGrant } = await grant(checkoutOnly, ['CheckoutLicense']);
    await acceptAndActivate(checkoutOnly, checkoutOnlyGrant);
    ({ LicenseConsumptionToken: consumptionToken } = await ok(
      grantee,
      'license-manager',
      'CheckoutLicense',
      checkoutRequest(),
    ));
    ({ TokenId: tokenId, Token: refreshToken } = await ok(issuer, 'license-manager', 'CreateToken', {
      LicenseArn: licenseArn,
      ClientToken: randomUUID(),
    }));
    await ok(issuer, 'license-manager', 'TagResource', {
      ResourceArn: licenseArn,
      Tags: [{ Key: 'team', Value: 'sales' }],
    });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers bad input on every consumption, token, signing-key and tag operation with the model error', async () => {
    const lm = (account: Account, operation: string, name: string, body: unknown, error: string): RefusalCase => ({
      name,
      account,
      api: 'license-manager',
      operation,
      body,
      error,
    });
    const kms = (operation: string, name: string, body: unknown, error: string): RefusalCase => ({
      name,
      account: issuer,
      api: 'kms',
      operation,
      body,
      error,
    });
    await expectRefusals([
      lm(
        grantee,
        'CheckoutLicense',
        'no ProductSKU',
        checkoutRequest({ ProductSKU: undefined }),
        'ValidationException',
      ),
      lm(
        grantee,
        'CheckoutLicense',
        'a CheckoutType not in the model',
        checkoutRequest({ CheckoutType: 'FOREVER' }),
        'ValidationException',
      ),
      lm(
        grantee,
        'CheckoutLicense',
        'a Unit not in the model',
        checkoutRequest({ Entitlements: [{ Name: 'Seats', Unit: 'Apples', Value: '1' }] }),
        'ValidationException',
      ),
      lm(
        grantee,
        'CheckoutLicense',
        'an amount that is not a whole number',
        checkoutRequest({ Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: 'many' }] }),
        'InvalidParameterValueException',
      ),
      lm(
        grantee,
        'CheckoutLicense',
        'more than is left',
        checkoutRequest({ Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '10' }] }),
        'NoEntitlementsAllowedException',
      ),
      lm(
        grantee,
        'CheckoutLicense',
        'an entitlement the licence lacks',
        checkoutRequest({ Entitlements: [{ Name: 'Cores', Unit: 'Count', Value: '1' }] }),
        'NoEntitlementsAllowedException',
      ),
      lm(
        issuer,
        'CheckoutLicense',
        'the issuer without a Beneficiary',
        checkoutRequest(),
        'InvalidParameterValueException',
      ),
      // A Beneficiary limits a checkout to the caller's own licences, as in AWS.
      lm(
        grantee,
        'CheckoutLicense',
        "the grantee naming the licence's Beneficiary",
        checkoutRequest({ Beneficiary: 'customer' }),
        'InvalidParameterValueException',
      ),
      lm(grantee, 'CheckoutLicense', 'a body that is not JSON', '{"ProductSKU":', 'SerializationException'),
      lm(
        grantee,
        'CheckoutBorrowLicense',
        'a grant without CheckoutBorrowLicense',
        {
          LicenseArn: licenseArn,
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
          DigitalSignatureMethod: 'JWT_PS384',
          ClientToken: randomUUID(),
        },
        'NoEntitlementsAllowedException',
      ),
      lm(
        grantee,
        'CheckoutBorrowLicense',
        'no ClientToken',
        {
          LicenseArn: licenseArn,
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
          DigitalSignatureMethod: 'JWT_PS384',
        },
        'ValidationException',
      ),
      lm(
        grantee,
        'CheckInLicense',
        'an unknown consumption token',
        { LicenseConsumptionToken: 'f'.repeat(32) },
        'ResourceNotFoundException',
      ),
      lm(grantee, 'CheckInLicense', 'no consumption token', {}, 'ValidationException'),
      lm(
        grantee,
        'ExtendLicenseConsumption',
        'an unknown consumption token',
        { LicenseConsumptionToken: 'f'.repeat(32) },
        'ResourceNotFoundException',
      ),
      lm(
        grantee,
        'ExtendLicenseConsumption',
        'a DryRun that is not a boolean',
        { LicenseConsumptionToken: consumptionToken, DryRun: 'yes' },
        'ValidationException',
      ),
      lm(
        issuer,
        'GetLicenseUsage',
        'an unknown licence',
        { LicenseArn: 'arn:aws:license-manager::111111111111:license:l-ffffffffffffffffffffffffffffffff' },
        'InvalidParameterValueException',
      ),
      lm(
        issuer,
        'CreateToken',
        'an unknown licence',
        {
          LicenseArn: 'arn:aws:license-manager::111111111111:license:l-ffffffffffffffffffffffffffffffff',
          ClientToken: randomUUID(),
        },
        'ResourceNotFoundException',
      ),
      lm(
        issuer,
        'CreateToken',
        'four TokenProperties',
        { LicenseArn: licenseArn, TokenProperties: ['a', 'b', 'c', 'd'], ClientToken: randomUUID() },
        'ValidationException',
      ),
      lm(
        issuer,
        'CreateToken',
        'a role of another account',
        { LicenseArn: licenseArn, RoleArns: ['arn:aws:iam::333333333333:role/x'], ClientToken: randomUUID() },
        'ValidationException',
      ),
      lm(
        issuer,
        'ListTokens',
        'an unknown filter',
        { Filters: [{ Name: 'Colour', Values: ['red'] }] },
        'ValidationException',
      ),
      lm(issuer, 'DeleteToken', 'an unknown token', { TokenId: 'f'.repeat(32) }, 'ResourceNotFoundException'),
      lm(grantee, 'GetAccessToken', 'a token that is not one', { Token: 'not-a-token' }, 'AuthorizationException'),
      lm(
        grantee,
        'GetAccessToken',
        'a property the token does not hold',
        { Token: refreshToken, TokenProperties: ['admin'] },
        'ValidationException',
      ),
      lm(
        issuer,
        'TagResource',
        'an unknown licence',
        {
          ResourceArn: 'arn:aws:license-manager::111111111111:license:l-ffffffffffffffffffffffffffffffff',
          Tags: [{ Key: 'a', Value: 'b' }],
        },
        'InvalidParameterValueException',
      ),
      lm(issuer, 'UntagResource', 'no TagKeys', { ResourceArn: licenseArn }, 'ValidationException'),
      kms('CreateKey', 'a symmetric key', { KeySpec: 'SYMMETRIC_DEFAULT' }, 'UnsupportedOperationException'),
      kms(
        'CreateKey',
        'a KeySpec not in the model',
        { KeySpec: 'RSA_1024', KeyUsage: 'SIGN_VERIFY' },
        'ValidationException',
      ),
      kms('DescribeKey', 'an unknown key', { KeyId: '00000000-0000-0000-0000-000000000000' }, 'NotFoundException'),
      kms('GetPublicKey', 'a malformed ARN', { KeyId: 'arn:aws:kms:nowhere' }, 'InvalidArnException'),
      kms('ListKeys', 'a Limit of 0', { Limit: 0 }, 'ValidationException'),
      kms(
        'ScheduleKeyDeletion',
        'a window of 3 days',
        { KeyId: keyArn, PendingWindowInDays: 3 },
        'ValidationException',
      ),
    ]);
  });

  it('lets no other account consume, extend, check in, read usage, make tokens, tag or use the keys of what it was not granted', async () => {
    const lm = (account: Account, operation: string, body: unknown, error: string): RefusalCase => ({
      name: `by ${account.accountId}`,
      account,
      api: 'license-manager',
      operation,
      body,
      error,
    });
    const kms = (operation: string, body: unknown): RefusalCase => ({
      name: 'by a stranger',
      account: stranger,
      api: 'kms',
      operation,
      body,
      error: 'NotFoundException',
    });
    const notFound = 'ResourceNotFoundException';
    await expectRefusals([
      lm(stranger, 'CheckoutLicense', checkoutRequest(), 'NoEntitlementsAllowedException'),
      lm(
        stranger,
        'CheckoutBorrowLicense',
        {
          LicenseArn: licenseArn,
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
          DigitalSignatureMethod: 'JWT_PS384',
          ClientToken: randomUUID(),
        },
        'NoEntitlementsAllowedException',
      ),
      lm(stranger, 'CheckInLicense', { LicenseConsumptionToken: consumptionToken }, notFound),
      lm(checkoutOnly, 'CheckInLicense', { LicenseConsumptionToken: consumptionToken }, notFound),
      lm(stranger, 'ExtendLicenseConsumption', { LicenseConsumptionToken: consumptionToken }, notFound),
      lm(stranger, 'GetLicenseUsage', { LicenseArn: licenseArn }, 'InvalidParameterValueException'),
      lm(stranger, 'CreateToken', { LicenseArn: licenseArn, ClientToken: randomUUID() }, notFound),
      lm(grantee, 'CreateToken', { LicenseArn: licenseArn, ClientToken: randomUUID() }, 'AccessDeniedException'),
      lm(stranger, 'DeleteToken', { TokenId: tokenId }, notFound),
      lm(
        stranger,
        'CreateLicenseVersion',
        {
          LicenseArn: licenseArn,
          LicenseName: 'taken over',
          ProductName: 'Boundaries',
          Issuer: { Name: 'Stranger', SignKey: keyArn },
          HomeRegion: system.region,
          Validity: { Begin: '2026-01-01T00:00:00Z' },
          Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1000 }],
          ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
          Status: 'AVAILABLE',
          ClientToken: randomUUID(),
        },
        notFound,
      ),
      lm(
        stranger,
        'CreateLicense',
        {
          LicenseName: 'with a borrowed key',
          ProductName: 'Boundaries',
          ProductSKU: 'stolen',
          Issuer: { Name: 'Stranger', SignKey: keyArn },
          HomeRegion: system.region,
          Validity: { Begin: '2026-01-01T00:00:00Z' },
          Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1 }],
          Beneficiary: 'x',
          ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
          ClientToken: randomUUID(),
        },
        'InvalidParameterValueException',
      ),
      lm(
        stranger,
        'TagResource',
        { ResourceArn: licenseArn, Tags: [{ Key: 'owner', Value: 'me' }] },
        'InvalidParameterValueException',
      ),
      lm(stranger, 'UntagResource', { ResourceArn: licenseArn, TagKeys: ['team'] }, 'InvalidParameterValueException'),
      lm(stranger, 'ListTagsForResource', { ResourceArn: grantArn }, 'InvalidParameterValueException'),
      lm(
        grantee,
        'TagResource',
        { ResourceArn: grantArn, Tags: [{ Key: 'owner', Value: 'me' }] },
        'AuthorizationException',
      ),
      kms('DescribeKey', { KeyId: keyArn }),
      kms('GetPublicKey', { KeyId: keyArn }),
      kms('ScheduleKeyDeletion', { KeyId: keyArn, PendingWindowInDays: 7 }),
    ]);
    expect((await ok(stranger, 'license-manager', 'ListTokens', {})).Tokens).toEqual([]);
  });
});
