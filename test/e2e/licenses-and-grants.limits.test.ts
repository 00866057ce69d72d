import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, callLicenseManager, createSigningKey } from '../support/clients';
import { accounts, principals, startSystem, type RunningSystem } from '../support/system';

const QUOTA = 5;
const issuer = accounts.management;
const member = accounts.member;
const accountPrincipal = (accountId: string) => principals.account({ accountId });

/** Quotas and races of licences and grants, and bad input on every operation (the model's errors, nothing stored). */
describe('licence and grant limits', () => {
  let system: RunningSystem;
  let keyArn: string;
  let skus = 0;

  const call = async (account: typeof issuer, operation: string, body: object) =>
    callLicenseManager(system, account, operation, body);
  const ok = async (account: typeof issuer, operation: string, body: object) => {
    const response = await call(account, operation, body);
    expect(response.status, `${operation}: ${response.text}`).toBe(200);
    return response.json;
  };
  const licenseRequest = (changes: object = {}) => ({
    LicenseName: 'Analytics',
    ProductName: 'Analytics',
    ProductSKU: `sku-${++skus}`,
    Issuer: { Name: 'Example ISV', SignKey: keyArn },
    HomeRegion: system.region,
    Validity: { Begin: '2026-01-01T00:00:00Z' },
    Entitlements: [{ Name: 'Users', Unit: 'Count', MaxCount: 10 }],
    Beneficiary: 'customer',
    ConsumptionConfiguration: { BorrowConfiguration: { AllowEarlyCheckIn: true, MaxTimeToLiveInMinutes: 60 } },
    ClientToken: randomUUID(),
    ...changes,
  });
  const grantRequest = (LicenseArn: string, principal: string, changes: object = {}) => ({
    GrantName: 'g',
    LicenseArn,
    Principals: [principal],
    HomeRegion: system.region,
    AllowedOperations: ['CheckoutLicense'],
    ClientToken: randomUUID(),
    ...changes,
  });

  beforeAll(async () => {
    system = await startSystem({ LM_QUOTA_GRANTS_PER_LICENSE: String(QUOTA) });
    keyArn = await createSigningKey(system, issuer);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it(`holds the grants-per-licence quota (${QUOTA} here) under 20 concurrent CreateGrant; a deleted grant frees its place`, async () => {
    const { LicenseArn } = await ok(issuer, 'CreateLicense', licenseRequest());
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(issuer, 'CreateGrant', grantRequest(LicenseArn, accountPrincipal(String(500000000000 + i)))),
      ),
    );
    const created = responses.filter((r) => r.status === 200);
    expect(created).toHaveLength(QUOTA);
    for (const refused of responses.filter((r) => r.status !== 200)) {
      expect({ status: refused.status, type: refused.json.__type }).toEqual({
        status: 400,
        type: expect.stringMatching(/ResourceLimitExceededException$/),
      });
    }
    expect(
      (await ok(issuer, 'ListDistributedGrants', { Filters: [{ Name: 'LicenseArn', Values: [LicenseArn] }] })).Grants,
    ).toHaveLength(QUOTA);
    const one = created[0].json;
    await ok(issuer, 'DeleteGrant', { GrantArn: one.GrantArn, Version: one.Version });
    await ok(issuer, 'CreateGrant', grantRequest(LicenseArn, accountPrincipal('599999999999')));
    expect((await call(issuer, 'CreateGrant', grantRequest(LicenseArn, accountPrincipal('599999999998')))).status).toBe(
      400,
    );
  });

  it('fails the distribution of an OU grant whose sub-grants would pass the quota (FAILED_WORKFLOW), creating none of them', async () => {
    const { LicenseArn } = await ok(issuer, 'CreateLicense', licenseRequest());
    for (let i = 0; i < QUOTA - 2; i++)
      await ok(issuer, 'CreateGrant', grantRequest(LicenseArn, accountPrincipal(String(510000000000 + i))));
    // The OU grant is the quota's last place; its two sub-grants (222222222222, nested 444444444444) would pass it.
    const engineering = 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering';
    const { GrantArn, Status } = await ok(issuer, 'CreateGrant', grantRequest(LicenseArn, engineering));
    expect(Status).toBe('PENDING_WORKFLOW');
    const deadline = Date.now() + 15_000;
    let grant = (await ok(issuer, 'GetGrant', { GrantArn })).Grant;
    while (grant.GrantStatus === 'PENDING_WORKFLOW' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      grant = (await ok(issuer, 'GetGrant', { GrantArn })).Grant;
    }
    expect(grant).toMatchObject({ GrantStatus: 'FAILED_WORKFLOW', StatusReason: expect.stringContaining('quota') });
    const distributed = (
      await ok(issuer, 'ListDistributedGrants', { Filters: [{ Name: 'LicenseArn', Values: [LicenseArn] }] })
    ).Grants;
    expect(distributed).toHaveLength(QUOTA - 1);
    // A failed distribution has nothing to recall: it is deleted at once.
    expect(await ok(issuer, 'DeleteGrant', { GrantArn, Version: grant.Version })).toMatchObject({ Status: 'DELETED' });
  });

  it('creates one licence for 10 concurrent CreateLicense with one ClientToken', async () => {
    const request = licenseRequest();
    const responses = await Promise.all(Array.from({ length: 10 }, () => ok(issuer, 'CreateLicense', request)));
    expect(new Set(responses.map((r) => r.LicenseArn)).size).toBe(1);
    const listed = await ok(issuer, 'ListLicenses', {
      Filters: [{ Name: 'ProductSKU', Values: [request.ProductSKU] }],
    });
    expect(listed.Licenses).toHaveLength(1);
  });

  it('activates one of two grants for a product raced against each other', async () => {
    const first = await ok(issuer, 'CreateLicense', licenseRequest());
    const second = await ok(issuer, 'CreateLicense', licenseRequest({ ProductSKU: `sku-${skus}` }));
    const grants = [];
    for (const license of [first, second]) {
      const { GrantArn } = await ok(
        issuer,
        'CreateGrant',
        grantRequest(license.LicenseArn, accountPrincipal(member.accountId)),
      );
      // Accepted, DISABLED: the two activations below race.
      expect(await ok(member, 'AcceptGrant', { GrantArn })).toMatchObject({ Status: 'DISABLED' });
      grants.push(GrantArn);
    }
    const raced = await Promise.all(
      grants.map((GrantArn) =>
        call(member, 'CreateGrantVersion', { GrantArn, Status: 'ACTIVE', ClientToken: randomUUID() }),
      ),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 400]);
    const statuses = await Promise.all(
      grants.map(async (GrantArn) => (await ok(member, 'GetGrant', { GrantArn })).Grant.GrantStatus),
    );
    expect(statuses.sort()).toEqual(['ACTIVE', 'DISABLED']);
  });

  it('refuses the checkout of a licence whose signing key is pending deletion, taking no seat', async () => {
    const retiring = await createSigningKey(system, issuer);
    const { LicenseArn } = await ok(
      issuer,
      'CreateLicense',
      licenseRequest({ Issuer: { Name: 'Example ISV', SignKey: retiring } }),
    );
    const checkout = { LicenseArn, Entitlements: [{ Name: 'Users', Unit: 'Count', Value: '1' }] };
    const scheduled = await awsCli(system, issuer, ['kms', 'schedule-key-deletion', '--key-id', retiring]);
    expect(scheduled.exitCode, scheduled.stderr).toBe(0);
    const refused = await call(issuer, 'CheckoutBorrowLicense', {
      ...checkout,
      DigitalSignatureMethod: 'JWT_PS384',
      ClientToken: randomUUID(),
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json).toMatchObject({
      __type: 'com.amazonaws.licensemanager#ValidationException',
      Message: expect.stringMatching(/cannot be checked out: .*PendingDeletion and cannot sign/),
    });
    const usage = await ok(issuer, 'GetLicenseUsage', { LicenseArn });
    expect(usage.LicenseUsage?.EntitlementUsages ?? []).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ ConsumedValue: '1' })]),
    );
  });

  it('answers bad input on every operation with the model error, and stores nothing', async () => {
    const license = await ok(issuer, 'CreateLicense', licenseRequest());
    const grant = await ok(issuer, 'CreateGrant', grantRequest(license.LicenseArn, accountPrincipal(member.accountId)));
    const snapshot = async () => [
      await ok(issuer, 'ListLicenses', {}),
      await ok(issuer, 'ListLicenseVersions', { LicenseArn: license.LicenseArn }),
      await ok(issuer, 'ListDistributedGrants', {}),
      await ok(member, 'ListReceivedGrants', {}),
    ];
    const before = await snapshot();
    const version = (changes: object) => {
      const { ProductSKU: _sku, Beneficiary: _beneficiary, ...definition } = licenseRequest();
      return { ...definition, LicenseArn: license.LicenseArn, Status: 'AVAILABLE', ...changes };
    };
    const unknownLicense = 'arn:aws:license-manager::111111111111:license:l-ffffffffffffffffffffffffffffffff';
    const unknownGrant = 'arn:aws:license-manager::111111111111:grant:g-ffffffffffffffffffffffffffffffff';
    const cases: [string, typeof issuer, string, object, string][] = [
      [
        'no Entitlements member',
        issuer,
        'CreateLicense',
        { ...licenseRequest(), Entitlements: undefined },
        'ValidationException',
      ],
      [
        'a Unit not in the model',
        issuer,
        'CreateLicense',
        licenseRequest({ Entitlements: [{ Name: 'a', Unit: 'Apples' }] }),
        'ValidationException',
      ],
      [
        'MaxCount with Unit None',
        issuer,
        'CreateLicense',
        licenseRequest({ Entitlements: [{ Name: 'a', Unit: 'None', MaxCount: 1 }] }),
        'ValidationException',
      ],
      [
        'End before Begin',
        issuer,
        'CreateLicense',
        licenseRequest({ Validity: { Begin: '2026-01-02T00:00:00Z', End: '2026-01-01T00:00:00Z' } }),
        'ValidationException',
      ],
      [
        'no consumption configuration',
        issuer,
        'CreateLicense',
        licenseRequest({ ConsumptionConfiguration: {} }),
        'ValidationException',
      ],
      [
        'another home Region',
        issuer,
        'CreateLicense',
        licenseRequest({ HomeRegion: 'eu-west-1' }),
        'RedirectException',
      ],
      [
        'an unknown signing key',
        issuer,
        'CreateLicense',
        licenseRequest({
          Issuer: { Name: 'x', SignKey: 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000' },
        }),
        'InvalidParameterValueException',
      ],
      // No SignKey at all is allowed (the managed key signs, see license-managed-signing-key.test.ts); an empty one names no key.
      [
        'an empty signing key',
        issuer,
        'CreateLicense',
        licenseRequest({ Issuer: { Name: 'x', SignKey: '' } }),
        'InvalidParameterValueException',
      ],
      [
        'a stale SourceVersion',
        issuer,
        'CreateLicenseVersion',
        version({ SourceVersion: '7', ClientToken: randomUUID() }),
        'ConflictException',
      ],
      [
        'a DELETED status',
        issuer,
        'CreateLicenseVersion',
        version({ Status: 'DELETED', ClientToken: randomUUID() }),
        'ValidationException',
      ],
      ['an unknown licence', issuer, 'GetLicense', { LicenseArn: unknownLicense }, 'InvalidParameterValueException'],
      [
        'a version that does not exist',
        issuer,
        'GetLicense',
        { LicenseArn: license.LicenseArn, Version: '9' },
        'InvalidParameterValueException',
      ],
      [
        'an unknown filter',
        issuer,
        'ListLicenses',
        { Filters: [{ Name: 'Colour', Values: ['red'] }] },
        'InvalidParameterValueException',
      ],
      [
        'two values of a filter',
        issuer,
        'ListLicenses',
        { Filters: [{ Name: 'Status', Values: ['AVAILABLE', 'DELETED'] }] },
        'InvalidParameterValueException',
      ],
      [
        'a forged NextToken',
        issuer,
        'ListLicenseVersions',
        { LicenseArn: license.LicenseArn, NextToken: 'forged' },
        'InvalidParameterValueException',
      ],
      [
        'a stale SourceVersion',
        issuer,
        'DeleteLicense',
        { LicenseArn: license.LicenseArn, SourceVersion: '2' },
        'ConflictException',
      ],
      [
        'two principals',
        issuer,
        'CreateGrant',
        grantRequest(license.LicenseArn, accountPrincipal('222222222222'), {
          Principals: [accountPrincipal('222222222222'), accountPrincipal('444444444444')],
        }),
        'ValidationException',
      ],
      [
        'a principal that is not an ARN',
        issuer,
        'CreateGrant',
        grantRequest(license.LicenseArn, '222222222222'),
        'ValidationException',
      ],
      [
        'an operation not in the model',
        issuer,
        'CreateGrant',
        grantRequest(license.LicenseArn, accountPrincipal('222222222222'), { AllowedOperations: ['Everything'] }),
        'ValidationException',
      ],
      [
        'another home Region',
        issuer,
        'CreateGrant',
        grantRequest(license.LicenseArn, accountPrincipal('222222222222'), { HomeRegion: 'eu-west-1' }),
        'ValidationException',
      ],
      [
        'an unknown licence',
        issuer,
        'CreateGrant',
        grantRequest(unknownLicense, accountPrincipal('222222222222')),
        'InvalidParameterValueException',
      ],
      [
        'a status reached otherwise',
        issuer,
        'CreateGrantVersion',
        { GrantArn: grant.GrantArn, Status: 'REJECTED', ClientToken: randomUUID() },
        'ValidationException',
      ],
      ['an unknown grant', member, 'AcceptGrant', { GrantArn: unknownGrant }, 'InvalidParameterValueException'],
      ['the grantor', issuer, 'RejectGrant', { GrantArn: grant.GrantArn }, 'AuthorizationException'],
      [
        'a stale Version',
        issuer,
        'DeleteGrant',
        { GrantArn: grant.GrantArn, Version: '3' },
        'InvalidParameterValueException',
      ],
      ['no GrantArn', issuer, 'GetGrant', {}, 'ValidationException'],
      [
        'an unknown filter',
        issuer,
        'ListDistributedGrants',
        { Filters: [{ Name: 'Colour', Values: ['red'] }] },
        'InvalidParameterValueException',
      ],
      [
        'a filter without a value',
        member,
        'ListReceivedGrants',
        { Filters: [{ Name: 'GrantStatus', Values: [] }] },
        'InvalidParameterValueException',
      ],
      [
        'a member account',
        member,
        'ListReceivedGrantsForOrganization',
        { LicenseArn: license.LicenseArn },
        'AuthorizationException',
      ],
      [
        'an unknown filter',
        member,
        'ListReceivedLicenses',
        { Filters: [{ Name: 'Colour', Values: ['red'] }] },
        'InvalidParameterValueException',
      ],
      ['a member account', member, 'ListReceivedLicensesForOrganization', {}, 'AuthorizationException'],
    ];
    for (const [name, account, operation, body, error] of cases) {
      const response = await call(account, operation, body);
      expect({ case: `${operation}: ${name}`, status: response.status, type: response.json?.__type }).toEqual({
        case: `${operation}: ${name}`,
        // The model's RedirectException is an HTTP 308; the others are client errors.
        status:
          error === 'RedirectException' ? 308 : expect.toSatisfy((status: number) => status >= 400 && status < 500),
        type: expect.stringMatching(new RegExp(`${error}$`)),
      });
      if (error === 'RedirectException') expect(response.json.Location).toBe('eu-west-1');
    }
    expect(await snapshot()).toEqual(before);
  });
});
