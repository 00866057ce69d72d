import {
  CreateLicenseConfigurationCommand,
  DeleteLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListLicenseConfigurationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLicenseConfigurationCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const ARN = /^arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-[0-9a-f]{32}$/;

describe('license configurations through @aws-sdk/client-license-manager', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;

  beforeAll(async () => {
    system = await startSystem();
    client = licenseManager(system, accounts.management);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('creates, reads, updates, deactivates and deletes a configuration', async () => {
    const created = await client.send(
      new CreateLicenseConfigurationCommand({
        Name: 'Windows Server Datacenter',
        Description: 'Datacenter cores on dedicated hosts',
        LicenseCountingType: 'Core',
        LicenseCount: 96,
        LicenseCountHardLimit: true,
        LicenseRules: ['#minimumCores=8', '#maximumCores=16', '#allowedTenancy=EC2-DedicatedHost'],
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    expect(created.LicenseConfigurationArn).toMatch(ARN);
    const arn = created.LicenseConfigurationArn!;

    const read = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    expect(read).toMatchObject({
      LicenseConfigurationArn: arn,
      LicenseConfigurationId: arn.split(':').pop(),
      Name: 'Windows Server Datacenter',
      Description: 'Datacenter cores on dedicated hosts',
      LicenseCountingType: 'Core',
      LicenseCount: 96,
      LicenseCountHardLimit: true,
      LicenseRules: ['#minimumCores=8', '#maximumCores=16', '#allowedTenancy=EC2-DedicatedHost'],
      ConsumedLicenses: 0,
      Status: 'AVAILABLE',
      OwnerAccountId: '111111111111',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });

    await client.send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: arn,
        Name: 'Windows Server Datacenter 2025',
        LicenseCount: 128,
        LicenseCountHardLimit: false,
        LicenseRules: [
          '#minimumCores=8',
          '#maximumCores=16',
          '#allowedTenancy=EC2-DedicatedHost',
          '#licenseAffinityToHost=90',
        ],
        LicenseExpiry: 1_900_000_000,
      }),
    );
    const updated = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    expect(updated).toMatchObject({
      Name: 'Windows Server Datacenter 2025',
      Description: 'Datacenter cores on dedicated hosts',
      LicenseCount: 128,
      LicenseCountHardLimit: false,
      LicenseExpiry: 1_900_000_000,
    });
    expect(updated.LicenseRules).toContain('#licenseAffinityToHost=90');

    await client.send(
      new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseConfigurationStatus: 'DISABLED' }),
    );
    expect((await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).Status).toBe(
      'DISABLED',
    );
    await client.send(
      new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseConfigurationStatus: 'AVAILABLE' }),
    );
    expect((await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).Status).toBe(
      'AVAILABLE',
    );

    await client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    await expect(
      client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      $metadata: { httpStatusCode: 400 },
    });
    const listed = await client.send(new ListLicenseConfigurationsCommand({ LicenseConfigurationArns: [arn] }));
    expect(listed.LicenseConfigurations).toEqual([]);
    await expect(
      client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });

  it('rejects an update that changes a rule other than licenseAffinityToHost', async () => {
    const { LicenseConfigurationArn: arn } = await client.send(
      new CreateLicenseConfigurationCommand({
        Name: 'vcpu',
        LicenseCountingType: 'vCPU',
        LicenseRules: ['#minimumVcpus=2'],
      }),
    );
    await expect(
      client.send(
        new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseRules: ['#minimumVcpus=4'] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    const read = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    expect(read.LicenseRules).toEqual(['#minimumVcpus=2']);
    await client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
  });

  it('tags, lists tags and untags a configuration', async () => {
    const { LicenseConfigurationArn: arn } = await client.send(
      new CreateLicenseConfigurationCommand({
        Name: 'tagged',
        LicenseCountingType: 'Instance',
        Tags: [{ Key: 'a', Value: '1' }],
      }),
    );
    await client.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'b', Value: '2' },
          { Key: 'a', Value: 'changed' },
        ],
      }),
    );
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'a', Value: 'changed' },
        { Key: 'b', Value: '2' },
      ]),
    );
    expect(tags.Tags).toHaveLength(2);
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'not-there'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
    expect((await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
    await client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
  });

  it('pages through configurations and filters them', async () => {
    const pager = licenseManager(system, accounts.nestedMember);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { LicenseConfigurationArn } = await pager.send(
        new CreateLicenseConfigurationCommand({
          Name: `page-${i}`,
          LicenseCountingType: i % 2 === 0 ? 'vCPU' : 'Socket',
          LicenseCount: 10,
          LicenseCountHardLimit: i < 3,
        }),
      );
      made.push(LicenseConfigurationArn!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await pager.send(new ListLicenseConfigurationsCommand({ MaxResults: 3, NextToken: token }));
      expect(page.LicenseConfigurations!.length).toBeLessThanOrEqual(3);
      seen.push(...page.LicenseConfigurations!.map((c) => c.LicenseConfigurationArn!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(made);

    const sockets = await pager.send(
      new ListLicenseConfigurationsCommand({ Filters: [{ Name: 'licenseCountingType', Values: ['Socket'] }] }),
    );
    expect(sockets.LicenseConfigurations!.map((c) => c.Name)).toEqual(['page-1', 'page-3', 'page-5']);
    const hardVcpu = await pager.send(
      new ListLicenseConfigurationsCommand({
        Filters: [
          { Name: 'licenseCountingType', Values: ['vCPU'] },
          { Name: 'enforceLicenseCount', Values: ['true'] },
        ],
      }),
    );
    expect(hardVcpu.LicenseConfigurations!.map((c) => c.Name)).toEqual(['page-0', 'page-2']);
    const byArn = await pager.send(
      new ListLicenseConfigurationsCommand({ LicenseConfigurationArns: [made[4], made[1]] }),
    );
    expect(byArn.LicenseConfigurations!.map((c) => c.Name)).toEqual(['page-1', 'page-4']);
    await expect(
      pager.send(new ListLicenseConfigurationsCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(pager.send(new ListLicenseConfigurationsCommand({ NextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });

  it('enforces the quota of configurations per account under concurrent creates', async () => {
    const outsider = licenseManager(system, accounts.outsider);
    const attempts = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        outsider.send(new CreateLicenseConfigurationCommand({ Name: `quota-${i}`, LicenseCountingType: 'Instance' })),
      ),
    );
    const succeeded = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    expect(succeeded).toHaveLength(25);
    expect(refused).toHaveLength(15);
    for (const r of refused)
      expect(r.reason).toMatchObject({ name: 'ResourceLimitExceededException', $metadata: { httpStatusCode: 400 } });
    const listed = await outsider.send(new ListLicenseConfigurationsCommand({ MaxResults: 100 }));
    expect(listed.LicenseConfigurations).toHaveLength(25);
    // deleting one frees a slot
    await outsider.send(
      new DeleteLicenseConfigurationCommand({
        LicenseConfigurationArn: listed.LicenseConfigurations![0].LicenseConfigurationArn,
      }),
    );
    await outsider.send(
      new CreateLicenseConfigurationCommand({ Name: 'after-delete', LicenseCountingType: 'Instance' }),
    );
    await expect(
      outsider.send(new CreateLicenseConfigurationCommand({ Name: 'one-too-many', LicenseCountingType: 'Instance' })),
    ).rejects.toMatchObject({ name: 'ResourceLimitExceededException' });
  });
});
