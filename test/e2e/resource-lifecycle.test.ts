import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListAssociationsForLicenseConfigurationCommand,
  ListFailuresForLicenseConfigurationOperationsCommand,
  ListLicenseSpecificationsForResourceCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager, rawRequest } from '../support/clients';
import { reportAndAwaitLicensing, reportResources, type ObservedResource } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const OWNER = '111111111111';

describe('licences follow the inventory', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;
  const create = async (input: Record<string, unknown>) =>
    (
      await client.send(
        new CreateLicenseConfigurationCommand({ Name: 'lifecycle', LicenseCountingType: 'vCPU', ...input }),
      )
    ).LicenseConfigurationArn!;
  const consumed = async (arn: string) =>
    (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).ConsumedLicenses;
  const associations = async (arn: string) =>
    (
      await client.send(new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))
    ).LicenseConfigurationAssociations!.map((a) => a.ResourceArn);
  const associate = (resourceArn: string, arn: string) =>
    client.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: resourceArn,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      }),
    );

  beforeAll(async () => {
    system = await startSystem();
    client = licenseManager(system, accounts.management);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('releases licences when an instance stops, takes them again when it starts, and ends the association when it terminates', async () => {
    const config = await create({ LicenseCount: 8, LicenseCountHardLimit: true });
    const vm: ObservedResource = {
      accountId: OWNER,
      resourceId: 'i-0c0000000000000a1',
      resourceType: 'EC2_INSTANCE',
      state: 'running',
      vCpuCount: 4,
    };
    const [arn] = await reportResources(system, [vm]);
    await associate(arn, config);
    expect(await consumed(config)).toBe(4);
    await reportAndAwaitLicensing(system, [{ ...vm, state: 'stopped' }]);
    expect(await consumed(config)).toBe(0);
    expect(await associations(config)).toEqual([arn]);
    await reportAndAwaitLicensing(system, [{ ...vm, state: 'running' }]);
    expect(await consumed(config)).toBe(4);
    await reportAndAwaitLicensing(system, [{ ...vm, state: 'terminated' }]);
    expect(await consumed(config)).toBe(0);
    expect(await associations(config)).toEqual([]);
    expect(
      (await client.send(new ListLicenseSpecificationsForResourceCommand({ ResourceArn: arn }))).LicenseSpecifications,
    ).toEqual([]);
  });

  it('keeps licences on the Dedicated Host after termination while licenseAffinityToHost holds them', async () => {
    const config = await create({
      LicenseCountingType: 'Core',
      LicenseCount: 64,
      LicenseRules: ['#allowedTenancy=EC2-DedicatedHost', '#licenseAffinityToHost=90'],
    });
    const vm: ObservedResource = {
      accountId: OWNER,
      resourceId: 'i-0c0000000000000b1',
      resourceType: 'EC2_INSTANCE',
      state: 'running',
      tenancy: 'host',
      hostId: 'h-0c00000000000000b',
      coreCount: 16,
    };
    const [arn] = await reportResources(system, [vm]);
    await associate(arn, config);
    await reportAndAwaitLicensing(system, [{ ...vm, state: 'terminated' }]);
    expect(await consumed(config)).toBe(16);
    expect(await associations(config)).toEqual([arn]);
  });

  it('associates instances launched from an associated AMI, records the refusals, and drops deregistered AMIs', async () => {
    const ami: ObservedResource = {
      accountId: OWNER,
      resourceId: 'ami-0c00000000000000c',
      resourceType: 'EC2_AMI',
      state: 'available',
    };
    const [amiArn] = await reportResources(system, [ami]);
    const config = await create({ LicenseCountingType: 'Instance', LicenseCount: 1, LicenseCountHardLimit: true });
    await associate(amiArn, config);
    // Launched from the AMI: licensing associates them by itself when discovery's events reach it.
    const [first, second] = await reportAndAwaitLicensing(system, [
      {
        accountId: OWNER,
        resourceId: 'i-0c0000000000000c1',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
        amiId: 'ami-0c00000000000000c',
      },
      {
        accountId: OWNER,
        resourceId: 'i-0c0000000000000c2',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
        amiId: 'ami-0c00000000000000c',
      },
    ]);
    expect(await consumed(config)).toBe(1);
    const associated = await associations(config);
    expect(associated).toContain(amiArn);
    expect(associated.filter((a) => a === first || a === second)).toHaveLength(1);

    const launch = await rawRequest(system, {
      account: accounts.management,
      path: '/launch/AuthorizeLaunch',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ResourceId: 'i-0c0000000000000c3',
        ResourceType: 'EC2_INSTANCE',
        AmiId: 'ami-0c00000000000000c',
      }),
    });
    expect(launch.status).toBe(412);
    const failures = await client.send(
      new ListFailuresForLicenseConfigurationOperationsCommand({ LicenseConfigurationArn: config }),
    );
    expect(failures.LicenseOperationFailureList!.map((f) => [f.OperationName, f.OperationRequestedBy])).toEqual([
      ['UpdateLicenseSpecificationsForResource', 'license-manager'],
      ['AuthorizeLaunch', `arn:aws:iam::${OWNER}:root`],
    ]);
    expect(failures.LicenseOperationFailureList![1]).toMatchObject({
      ResourceArn: `arn:aws:ec2:us-east-1:${OWNER}:instance/i-0c0000000000000c3`,
      ResourceType: 'EC2_INSTANCE',
      ResourceOwnerId: OWNER,
      ErrorMessage: expect.stringMatching(/hard limit is 1/),
    });

    await reportAndAwaitLicensing(system, [{ ...ami, state: 'deregistered' }]);
    expect(await associations(config)).not.toContain(amiArn);
  });
});
