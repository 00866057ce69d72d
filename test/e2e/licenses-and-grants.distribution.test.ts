import { randomUUID } from 'node:crypto';
import {
  AcceptGrantCommand,
  CheckoutLicenseCommand,
  CreateGrantCommand,
  CreateGrantVersionCommand,
  CreateLicenseCommand,
  DeleteGrantCommand,
  GetGrantCommand,
  GetLicenseCommand,
  ListDistributedGrantsCommand,
  ListReceivedGrantsCommand,
  ListReceivedGrantsForOrganizationCommand,
  ListReceivedLicensesCommand,
  ListReceivedLicensesForOrganizationCommand,
  UpdateServiceSettingsCommand,
  type Grant,
  type GrantStatus,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, licenseManager } from '../support/clients';
import { accounts, principals, startSystem, type RunningSystem } from '../support/system';

const { account: accountPrincipal, organization: ORGANIZATION, engineeringOu: ENGINEERING_OU } = principals;

/**
 * The distribution workflow of organization and OU grants (one sub-grant per covered account,
 * statuses PENDING_WORKFLOW, WORKFLOW_COMPLETED, PENDING_DELETE), activation per account or for
 * all through the parent, and the auto-acceptance of grants once the organization is linked.
 */
describe('organization and OU grants through @aws-sdk/client-license-manager', () => {
  let system: RunningSystem;
  let issuer: LicenseManagerClient;
  let member: LicenseManagerClient;
  let nested: LicenseManagerClient;
  let outsider: LicenseManagerClient;
  let keyArn: string;
  let skus = 0;

  const createLicense = async () => {
    const sku = `sku-${++skus}`;
    const { LicenseArn } = await issuer.send(
      new CreateLicenseCommand({
        LicenseName: 'Analytics Pro',
        ProductName: 'Analytics',
        ProductSKU: sku,
        Issuer: { Name: 'Example ISV', SignKey: keyArn },
        HomeRegion: system.region,
        Validity: { Begin: '2026-01-01T00:00:00Z', End: '2036-01-01T00:00:00Z' },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }],
        Beneficiary: 'customer@example.com',
        ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    );
    const { License } = await issuer.send(new GetLicenseCommand({ LicenseArn }));
    return { licenseArn: LicenseArn!, sku, fingerprint: License!.Issuer!.KeyFingerprint! };
  };
  const grantTo = (licenseArn: string, principal: string) =>
    issuer.send(
      new CreateGrantCommand({
        GrantName: `to ${principal}`,
        LicenseArn: licenseArn,
        Principals: [principal],
        HomeRegion: system.region,
        AllowedOperations: ['CheckoutLicense', 'CheckInLicense'],
        ClientToken: randomUUID(),
      }),
    );
  const setStatus = (client: LicenseManagerClient, GrantArn: string, Status: 'ACTIVE' | 'DISABLED') =>
    client.send(new CreateGrantVersionCommand({ GrantArn, Status, ClientToken: randomUUID() }));
  const grantOf = async (GrantArn: string, client = issuer) =>
    (await client.send(new GetGrantCommand({ GrantArn }))).Grant!;
  /** The workflow runs after CreateGrant and DeleteGrant answer: wait for the status it reaches. */
  const settled = async (GrantArn: string, status: GrantStatus): Promise<Grant> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const grant = await grantOf(GrantArn);
      if (grant.GrantStatus === status || Date.now() > deadline) return grant;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const subGrantsOf = async (licenseArn: string, parentArn: string) =>
    (
      await issuer.send(new ListDistributedGrantsCommand({ Filters: [{ Name: 'LicenseArn', Values: [licenseArn] }] }))
    ).Grants!.filter((g) => g.ParentArn === parentArn);
  const subGrantFor = (subGrants: Grant[], account: { accountId: string }) =>
    subGrants.find((g) => g.GranteePrincipalArn === accountPrincipal(account))!;
  const checkout = (license: { sku: string; fingerprint: string }, client: LicenseManagerClient) =>
    client.send(
      new CheckoutLicenseCommand({
        ProductSKU: license.sku,
        KeyFingerprint: license.fingerprint,
        CheckoutType: 'PROVISIONAL',
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
        ClientToken: randomUUID(),
      }),
    );

  beforeAll(async () => {
    // Consumption sees each activation at once (no licence cache).
    system = await startSystem({ LM_CONSUMPTION_LICENSE_CACHE_MS: '0' });
    issuer = licenseManager(system, accounts.management);
    member = licenseManager(system, accounts.member);
    nested = licenseManager(system, accounts.nestedMember);
    outsider = licenseManager(system, accounts.outsider);
    keyArn = await createSigningKey(system, accounts.management);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('distributes an OU grant to the accounts of the OU and its nested OUs, each activated on its own or all through the parent, then recalls it', async () => {
    const license = await createLicense();
    const { licenseArn } = license;
    const created = await grantTo(licenseArn, ENGINEERING_OU);
    expect(created).toMatchObject({ Status: 'PENDING_WORKFLOW', Version: '1' });
    const parentArn = created.GrantArn!;
    expect(await settled(parentArn, 'WORKFLOW_COMPLETED')).toMatchObject({
      GrantStatus: 'WORKFLOW_COMPLETED',
      GranteePrincipalArn: ENGINEERING_OU,
      Version: '2',
    });

    // One accepted (DISABLED) sub-grant for 222222222222 and, nested, 444444444444; none for the outsider or the management account.
    const subGrants = await subGrantsOf(licenseArn, parentArn);
    expect(subGrants.map((g) => g.GranteePrincipalArn).sort()).toEqual([
      accountPrincipal(accounts.member),
      accountPrincipal(accounts.nestedMember),
    ]);
    for (const sub of subGrants) {
      expect(sub).toMatchObject({
        GrantStatus: 'DISABLED',
        LicenseArn: licenseArn,
        GrantedOperations: ['CheckoutLicense', 'CheckInLicense'],
      });
    }
    const forOrganization = await issuer.send(
      new ListReceivedGrantsForOrganizationCommand({
        LicenseArn: licenseArn,
        Filters: [{ Name: 'ParentArn', Values: [parentArn] }],
      }),
    );
    expect(forOrganization.Grants!.map((g) => g.GrantArn).sort()).toEqual(subGrants.map((g) => g.GrantArn).sort());
    expect(
      (await issuer.send(new ListReceivedLicensesForOrganizationCommand({}))).Licenses!.map((l) => l.LicenseArn),
    ).toContain(licenseArn);

    // Each account sees its own sub-grant only; the parent covers nobody.
    const memberSub = subGrantFor(subGrants, accounts.member);
    const nestedSub = subGrantFor(subGrants, accounts.nestedMember);
    const received = async (client: LicenseManagerClient) =>
      (
        await client.send(new ListReceivedGrantsCommand({ Filters: [{ Name: 'LicenseArn', Values: [licenseArn] }] }))
      ).Grants!.map((g) => g.GrantArn);
    expect(await received(member)).toEqual([memberSub.GrantArn]);
    expect(await received(nested)).toEqual([nestedSub.GrantArn]);
    expect(await received(outsider)).toEqual([]);
    await expect(member.send(new GetGrantCommand({ GrantArn: parentArn }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    expect((await nested.send(new ListReceivedLicensesCommand({ LicenseArns: [licenseArn] }))).Licenses).toMatchObject([
      { ReceivedMetadata: { ReceivedStatus: 'DISABLED' } },
    ]);

    // Activation per account: by the account itself (not another's), or by the grantor.
    await expect(checkout(license, member)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });
    expect(await setStatus(member, memberSub.GrantArn!, 'ACTIVE')).toMatchObject({ Status: 'ACTIVE' });
    await expect(setStatus(member, nestedSub.GrantArn!, 'ACTIVE')).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    expect((await checkout(license, member)).LicenseConsumptionToken).toEqual(expect.any(String));
    await expect(checkout(license, nested)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });

    // Through the parent, for every sub-grant at once; the parent keeps its status.
    expect(await setStatus(issuer, parentArn, 'DISABLED')).toMatchObject({ Status: 'WORKFLOW_COMPLETED' });
    expect((await subGrantsOf(licenseArn, parentArn)).map((g) => g.GrantStatus)).toEqual(['DISABLED', 'DISABLED']);
    await expect(checkout(license, member)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });
    await setStatus(issuer, parentArn, 'ACTIVE');
    expect((await subGrantsOf(licenseArn, parentArn)).map((g) => g.GrantStatus)).toEqual(['ACTIVE', 'ACTIVE']);
    expect((await checkout(license, nested)).LicenseConsumptionToken).toEqual(expect.any(String));

    // Deleting the parent recalls every sub-grant, then deletes it.
    const parent = await grantOf(parentArn);
    expect(await issuer.send(new DeleteGrantCommand({ GrantArn: parentArn, Version: parent.Version }))).toMatchObject({
      Status: 'PENDING_DELETE',
    });
    expect(await settled(parentArn, 'DELETED')).toMatchObject({ GrantStatus: 'DELETED' });
    for (const sub of await subGrantsOf(licenseArn, parentArn))
      expect(sub).toMatchObject({ GrantStatus: 'DELETED', StatusReason: expect.stringContaining(parentArn) });
    expect((await grantOf(parentArn, issuer)).GrantStatus).toBe('DELETED');
    await expect(checkout(license, nested)).rejects.toMatchObject({ name: 'NoEntitlementsAllowedException' });
    expect((await member.send(new ListReceivedLicensesCommand({ LicenseArns: [licenseArn] }))).Licenses).toEqual([]);
  });

  it('distributes an organization grant to every member account but the grantor, and activating one product twice is refused', async () => {
    const { licenseArn } = await createLicense();
    const { GrantArn } = await grantTo(licenseArn, ORGANIZATION);
    expect(await settled(GrantArn!, 'WORKFLOW_COMPLETED')).toMatchObject({ GrantStatus: 'WORKFLOW_COMPLETED' });
    const subGrants = await subGrantsOf(licenseArn, GrantArn!);
    expect(subGrants.map((g) => g.GranteePrincipalArn).sort()).toEqual([
      accountPrincipal(accounts.member),
      accountPrincipal(accounts.nestedMember),
    ]);
    const { GrantArn: toOu } = await grantTo(licenseArn, ENGINEERING_OU);
    await settled(toOu!, 'WORKFLOW_COMPLETED');
    await setStatus(issuer, GrantArn!, 'ACTIVE');
    // The OU's sub-grants are for the same product and accounts: one ACTIVE grant per product.
    await expect(setStatus(issuer, toOu!, 'ACTIVE')).rejects.toMatchObject({ name: 'ValidationException' });
    await issuer.send(
      new CreateGrantVersionCommand({
        GrantArn: toOu,
        Status: 'ACTIVE',
        Options: { ActivationOverrideBehavior: 'ALL_GRANTS_PERMITTED_BY_ISSUER' },
        ClientToken: randomUUID(),
      }),
    );
    expect((await subGrantsOf(licenseArn, GrantArn!)).map((g) => g.GrantStatus)).toEqual(['DISABLED', 'DISABLED']);
    expect((await subGrantsOf(licenseArn, toOu!)).map((g) => g.GrantStatus)).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('accepts the grants of the management account to its accounts automatically once it links its organization', async () => {
    const { licenseArn } = await createLicense();
    expect(await grantTo(licenseArn, accountPrincipal(accounts.member))).toMatchObject({ Status: 'PENDING_ACCEPT' });
    await issuer.send(new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }));
    // The grants service learns it from licensing's ServiceSettingsUpdated event.
    const deadline = Date.now() + 15_000;
    let granted = await grantTo(licenseArn, accountPrincipal(accounts.nestedMember));
    while (granted.Status !== 'DISABLED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      granted = await grantTo((await createLicense()).licenseArn, accountPrincipal(accounts.nestedMember));
    }
    expect(granted).toMatchObject({ Status: 'DISABLED' });
    await expect(nested.send(new AcceptGrantCommand({ GrantArn: granted.GrantArn }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(await setStatus(nested, granted.GrantArn!, 'ACTIVE')).toMatchObject({ Status: 'ACTIVE' });
    // An account outside the organization still accepts its grants itself.
    expect(await grantTo(licenseArn, accountPrincipal(accounts.outsider))).toMatchObject({ Status: 'PENDING_ACCEPT' });
  });
});
