import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/** The vendor flow with the AWS CLI, unchanged: a signing key, a licence and its versions, a grant accepted and activated, a checkout, the grant deactivated. */
describe('seller-issued licences and grants through the AWS CLI', () => {
  let system: RunningSystem;
  const cli = (account: (typeof accounts)[keyof typeof accounts], ...args: string[]) => awsCli(system, account, args);

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('issues, versions, grants and deletes', async () => {
    const key = await cli(
      accounts.management,
      'kms',
      'create-key',
      '--key-spec',
      'RSA_2048',
      '--key-usage',
      'SIGN_VERIFY',
    );
    expect(key.stderr).toBe('');
    const keyArn: string = key.json.KeyMetadata.Arn;

    const definition = [
      '--license-name',
      'Analytics Pro',
      '--product-name',
      'Analytics',
      '--issuer',
      `Name=Example ISV,SignKey=${keyArn}`,
      '--home-region',
      system.region,
      '--validity',
      'Begin=2026-01-01T00:00:00Z,End=2036-01-01T00:00:00Z',
      '--entitlements',
      'Name=Users,Unit=Count,MaxCount=10,AllowCheckIn=true',
      'Name=Tier,Unit=None,Value=Platinum',
      '--consumption-configuration',
      '{"RenewType":"Monthly","ProvisionalConfiguration":{"MaxTimeToLiveInMinutes":60}}',
    ];
    const created = await cli(
      accounts.management,
      'license-manager',
      'create-license',
      ...definition,
      '--product-sku',
      'analytics-pro',
      '--beneficiary',
      'customer@example.com',
      '--client-token',
      randomUUID(),
    );
    expect(created.stderr).toBe('');
    expect(created.json).toMatchObject({ Status: 'AVAILABLE', Version: '1' });
    const licenseArn: string = created.json.LicenseArn;

    const version = (sourceVersion: string, status: string) =>
      cli(
        accounts.management,
        'license-manager',
        'create-license-version',
        '--license-arn',
        licenseArn,
        ...definition,
        '--status',
        status,
        '--source-version',
        sourceVersion,
        '--client-token',
        randomUUID(),
      );
    expect((await version('1', 'AVAILABLE')).json).toMatchObject({ Version: '2', Status: 'AVAILABLE' });
    const stale = await version('1', 'SUSPENDED');
    expect(stale.exitCode).not.toBe(0);
    expect(stale.stderr).toContain('ConflictException');

    const old = await cli(
      accounts.management,
      'license-manager',
      'get-license',
      '--license-arn',
      licenseArn,
      '--license-version',
      '1',
    );
    expect(old.json.License).toMatchObject({
      Version: '1',
      ProductSKU: 'analytics-pro',
      Issuer: { SignKey: keyArn, KeyFingerprint: expect.any(String) },
    });
    const listed = await cli(
      accounts.management,
      'license-manager',
      'list-licenses',
      '--filters',
      'Name=ProductSKU,Values=analytics-pro',
    );
    expect(listed.json.Licenses).toMatchObject([{ LicenseArn: licenseArn, Version: '2' }]);

    const granted = await cli(
      accounts.management,
      'license-manager',
      'create-grant',
      '--grant-name',
      'member',
      '--license-arn',
      licenseArn,
      '--principals',
      `arn:aws:iam::${accounts.member.accountId}:root`,
      '--home-region',
      system.region,
      '--allowed-operations',
      'CheckoutLicense',
      'CheckInLicense',
      'ExtendConsumptionLicense',
      '--client-token',
      randomUUID(),
    );
    expect(granted.json).toMatchObject({ Status: 'PENDING_ACCEPT', Version: '1' });
    const grantArn: string = granted.json.GrantArn;
    expect((await cli(accounts.member, 'license-manager', 'accept-grant', '--grant-arn', grantArn)).json).toMatchObject(
      { Status: 'DISABLED' },
    );
    const activated = await cli(
      accounts.member,
      'license-manager',
      'create-grant-version',
      '--grant-arn',
      grantArn,
      '--status',
      'ACTIVE',
      '--client-token',
      randomUUID(),
    );
    expect(activated.json).toMatchObject({ Status: 'ACTIVE', Version: '3' });

    // The member's software checks out by the issuer's fingerprint and the SKU, then checks in.
    const fingerprint: string = old.json.License.Issuer.KeyFingerprint;
    const checkout = await cli(
      accounts.member,
      'license-manager',
      'checkout-license',
      '--product-sku',
      'analytics-pro',
      '--checkout-type',
      'PROVISIONAL',
      '--key-fingerprint',
      fingerprint,
      '--entitlements',
      'Name=Users,Unit=Count,Value=3',
      'Name=Tier,Unit=None',
      '--node-id',
      '10.0.0.7',
      '--client-token',
      randomUUID(),
    );
    expect(checkout.stderr).toBe('');
    expect(checkout.json).toMatchObject({
      LicenseArn: licenseArn,
      CheckoutType: 'PROVISIONAL',
      NodeId: '10.0.0.7',
      SignedToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    const token: string = checkout.json.LicenseConsumptionToken;
    const usage = async () =>
      (await cli(accounts.management, 'license-manager', 'get-license-usage', '--license-arn', licenseArn)).json
        .LicenseUsage.EntitlementUsages;
    expect(await usage()).toEqual(
      expect.arrayContaining([{ Name: 'Users', Unit: 'Count', ConsumedValue: '3', MaxCount: '10' }]),
    );
    const extended = await cli(
      accounts.member,
      'license-manager',
      'extend-license-consumption',
      '--license-consumption-token',
      token,
    );
    expect(extended.json).toMatchObject({ LicenseConsumptionToken: token, Expiration: expect.any(String) });
    const checkIn = await cli(
      accounts.member,
      'license-manager',
      'check-in-license',
      '--license-consumption-token',
      token,
    );
    expect(checkIn.stderr).toBe('');
    expect(await usage()).toEqual(
      expect.arrayContaining([{ Name: 'Users', Unit: 'Count', ConsumedValue: '0', MaxCount: '10' }]),
    );
    expect(
      (await cli(accounts.member, 'license-manager', 'check-in-license', '--license-consumption-token', token)).stderr,
    ).toContain('ConflictException');
    const deactivated = await cli(
      accounts.member,
      'license-manager',
      'create-grant-version',
      '--grant-arn',
      grantArn,
      '--status',
      'DISABLED',
      '--client-token',
      randomUUID(),
    );
    expect(deactivated.json).toMatchObject({ Status: 'DISABLED', Version: '4' });
    const received = await cli(accounts.member, 'license-manager', 'list-received-licenses');
    expect(received.json.Licenses).toMatchObject([
      { LicenseArn: licenseArn, ReceivedMetadata: { ReceivedStatus: 'DISABLED' } },
    ]);

    const deleted = await cli(
      accounts.management,
      'license-manager',
      'delete-license',
      '--license-arn',
      licenseArn,
      '--source-version',
      '2',
    );
    expect(deleted.json).toMatchObject({ Status: 'DELETED' });
    expect(
      (await cli(accounts.member, 'license-manager', 'get-license', '--license-arn', licenseArn)).json.License,
    ).toMatchObject({ Status: 'DELETED' });
  });
});
