import { randomUUID } from 'node:crypto';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import type { Clock } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantCommands } from '../src/grants/application/grant.commands';
import { GrantDistribution } from '../src/grants/application/grant-distribution.consumer';
import { LicenseCommands } from '../src/licenses/application/license.commands';
import { ViewLicenseAccess } from '../src/grants/application/view-license-access';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { GrantsService } from '../src/grants.service';
import { FIXED_KEY_FINGERPRINT as FINGERPRINT } from './fixed-signing-keys';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { licenseAndGrantCommands } from './license-and-grant-commands';

const region = 'us-east-1';
const organization = { id: 'o-lmdev00001', managementAccountId: '111111111111', rootId: 'r-lmdv' };
const callerOf = (accountId: string, organizationalUnitPath?: string[]): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region,
  organization: organizationalUnitPath ? { ...organization, organizationalUnitPath } : undefined,
});
const member = callerOf('222222222222', ['ou-lmdv-engineering', 'r-lmdv']);
const nested = callerOf('444444444444', ['ou-lmdv-platform', 'ou-lmdv-engineering', 'r-lmdv']);
const managementAccount = callerOf('111111111111', ['r-lmdv']);
const memberAccounts = [managementAccount, member, nested].map((c) => ({
  accountId: c.accountId,
  organizationalUnitPath: c.organization!.organizationalUnitPath,
}));
const issuer: Caller = {
  ...managementAccount,
  organization: {
    ...managementAccount.organization!,
    memberAccountIds: memberAccounts.map((m) => m.accountId),
    memberAccounts,
  },
};
const outsider = callerOf('333333333333');

describe('LicenseAccess from the licences and grants views', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  let now = new Date('2026-06-01T00:00:00Z');
  const clock: Clock = { now: () => now };
  let access: ViewLicenseAccess;
  let licenses: LicenseCommands;
  let grants: GrantCommands;
  let distribution: GrantDistribution;
  let skus = 0;

  const createLicense = async (
    validity: LicenseManager.DatetimeRange = { Begin: '2026-01-01T00:00:00Z', End: '2027-01-01T00:00:00Z' },
  ) => {
    const sku = `sku-${++skus}`;
    const { LicenseArn } = await licenses.create(issuer, {
      LicenseName: 'Analytics',
      ProductName: 'Analytics',
      ProductSKU: sku,
      Issuer: { Name: 'Example ISV', SignKey: 'k' },
      HomeRegion: region,
      Validity: validity,
      Entitlements: [{ Name: 'Users', Unit: 'Count', MaxCount: 10 }],
      Beneficiary: 'customer',
      ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      ClientToken: randomUUID(),
    });
    return { arn: LicenseArn!, sku };
  };
  const grant = async (
    licenseArn: string,
    principal: string,
    operations: LicenseManager.AllowedOperation[],
    by = issuer,
  ) =>
    (
      await grants.create(by, {
        GrantName: 'g',
        LicenseArn: licenseArn,
        Principals: [principal],
        HomeRegion: region,
        AllowedOperations: operations,
        ClientToken: randomUUID(),
      })
    ).GrantArn!;
  const setStatus = (caller: Caller, grantArn: string, status: 'ACTIVE' | 'DISABLED') =>
    grants.createVersion(caller, { GrantArn: grantArn, Status: status, ClientToken: randomUUID() });
  const acceptAndActivate = async (caller: Caller, grantArn: string) => {
    await grants.accept(caller, grantArn);
    await setStatus(caller, grantArn, 'ACTIVE');
  };
  const usable = async (caller: Caller, operation: LicenseManager.AllowedOperation, licenseArn: string) =>
    (await access.usableLicenses(caller, operation, { licenseArn })).map((l) => l.route);

  beforeAll(async () => {
    database = await createTestDatabase('lm_grants');
    infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
    access = new ViewLicenseAccess(infra.db, clock);
    ({ licenses, grants } = licenseAndGrantCommands(infra, clock, region, access));
    distribution = new GrantDistribution(infra.store, infra.db, clock);
  });
  afterAll(async () => {
    await infra?.store.close();
    await infra?.db.destroy();
    await database?.drop();
  });

  it('reaches a licence as its issuer, or through an ACTIVE grant allowing the operation', async () => {
    const { arn, sku } = await createLicense();
    expect(await usable(issuer, 'CheckoutLicense', arn)).toEqual([{ kind: 'issuer' }]);
    const grantArn = await grant(arn, member.principalArn, ['CheckoutLicense']);
    expect(await usable(member, 'CheckoutLicense', arn)).toEqual([]);
    expect((await access.readableLicense(member, arn)).route).toEqual({
      kind: 'grant',
      grantArn,
      grantedOperations: ['CheckoutLicense'],
    });
    // Accepted, the grant is DISABLED: it allows nothing until it is activated.
    await grants.accept(member, grantArn);
    expect(await usable(member, 'CheckoutLicense', arn)).toEqual([]);
    await setStatus(member, grantArn, 'ACTIVE');
    expect(await usable(member, 'CheckoutLicense', arn)).toEqual([
      { kind: 'grant', grantArn, grantedOperations: ['CheckoutLicense'], rootBuyerAccountId: member.accountId },
    ]);
    expect(await usable(member, 'CreateToken', arn)).toEqual([]);
    expect(
      await access.usableLicenses(member, 'CheckoutLicense', { productSku: sku, keyFingerprint: FINGERPRINT }),
    ).toHaveLength(1);
    expect(
      await access.usableLicenses(member, 'CheckoutLicense', { productSku: sku, keyFingerprint: 'aws:other' }),
    ).toEqual([]);
    expect(
      await access.usableLicenses(member, 'CheckoutLicense', {
        productSku: sku,
        keyFingerprint: FINGERPRINT,
        beneficiary: 'someone else',
      }),
    ).toEqual([]);
    await setStatus(issuer, grantArn, 'DISABLED');
    expect(await usable(member, 'CheckoutLicense', arn)).toEqual([]);
    expect(await usable(outsider, 'CheckoutLicense', arn)).toEqual([]);
    await expect(access.readableLicense(outsider, arn)).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('needs the licence AVAILABLE and within its validity (by the injected clock)', async () => {
    const { arn } = await createLicense({ Begin: '2026-05-01T00:00:00Z', End: '2026-07-01T00:00:00Z' });
    await acceptAndActivate(member, await grant(arn, member.principalArn, ['CheckoutLicense']));
    expect(await usable(member, 'CheckoutLicense', arn)).toHaveLength(1);
    now = new Date('2026-07-01T00:00:00Z');
    expect(await usable(member, 'CheckoutLicense', arn)).toEqual([]);
    now = new Date('2026-04-30T23:59:59Z');
    expect(await usable(issuer, 'CheckoutLicense', arn)).toEqual([]);
    now = new Date('2026-06-01T00:00:00Z');
    await licenses.delete(issuer, { LicenseArn: arn, SourceVersion: '1' });
    expect(await usable(member, 'CheckoutLicense', arn)).toEqual([]);
    expect(await usable(issuer, 'CheckoutLicense', arn)).toEqual([]);
    expect((await access.readableLicense(member, arn)).license.Status).toBe('DELETED');
  });

  it('reaches accounts of an OU and its nested OUs through their sub-grants, and a grant they distribute only while theirs is ACTIVE', async () => {
    const { arn } = await createLicense();
    const toOu = await grant(arn, 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering', [
      'CheckoutLicense',
      'CreateGrant',
    ]);
    await distribution.handle(await infra.store.readAll());
    await setStatus(issuer, toOu, 'ACTIVE');
    const [nestedSub] = await access.usableLicenses(nested, 'CheckoutLicense', { licenseArn: arn });
    // The issuer's OU grant covers nobody itself: the sub-grant's account is the root buyer.
    expect(nestedSub.route).toMatchObject({ kind: 'grant', rootBuyerAccountId: nested.accountId });
    expect(nestedSub.route.kind === 'grant' && nestedSub.route.grantArn).not.toBe(toOu);
    expect(await usable(outsider, 'CheckoutLicense', arn)).toEqual([]);
    const redistributed = await grant(arn, outsider.principalArn, ['CheckoutLicense'], member);
    await acceptAndActivate(outsider, redistributed);
    // A grant made by a grantee keeps the root buyer at the top of its chain.
    expect(await usable(outsider, 'CheckoutLicense', arn)).toMatchObject([
      { grantArn: redistributed, rootBuyerAccountId: member.accountId },
    ]);
    await setStatus(issuer, toOu, 'DISABLED');
    expect(await usable(nested, 'CheckoutLicense', arn)).toEqual([]);
    expect(await usable(outsider, 'CheckoutLicense', arn)).toEqual([]);
  });

  it('honours credentials restricted to one licence', async () => {
    const { arn } = await createLicense();
    const { arn: other } = await createLicense();
    const restricted = { ...issuer, restrictedToLicenseArn: arn };
    expect(await usable(restricted, 'CheckoutLicense', arn)).toHaveLength(1);
    expect(await usable(restricted, 'CheckoutLicense', other)).toEqual([]);
    await expect(access.readableLicense(restricted, other)).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});
