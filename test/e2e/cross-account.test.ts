import {
  DeleteLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLicenseConfigurationCommand,
  CreateLicenseConfigurationCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('every record belongs to its account', () => {
  let system: RunningSystem;
  let arn: string;

  beforeAll(async () => {
    system = await startSystem();
    const owner = licenseManager(system, accounts.management);
    ({ LicenseConfigurationArn: arn } = (await owner.send(
      new CreateLicenseConfigurationCommand({
        Name: 'owned',
        LicenseCountingType: 'vCPU',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    )) as { LicenseConfigurationArn: string });
  });
  afterAll(async () => {
    await system?.stop();
  });

  for (const [role, account] of [
    ['a member of the same organization', accounts.member],
    ['an account outside the organization', accounts.outsider],
  ] as const) {
    it(`${role} can neither see nor change another account's configuration`, async () => {
      const other = licenseManager(system, account);
      const notFound = { name: 'InvalidParameterValueException', message: expect.stringMatching(/does not exist/) };
      await expect(
        other.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
      ).rejects.toMatchObject(notFound);
      await expect(
        other.send(new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, Name: 'stolen' })),
      ).rejects.toMatchObject(notFound);
      await expect(
        other.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'x', Value: 'y' }] })),
      ).rejects.toMatchObject(notFound);
      await expect(other.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['k'] }))).rejects.toMatchObject(
        notFound,
      );
      await expect(other.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).rejects.toMatchObject(notFound);
      await expect(
        other.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
      ).rejects.toMatchObject(notFound);
      expect((await other.send(new ListLicenseConfigurationsCommand({}))).LicenseConfigurations).toEqual([]);
      expect(
        (await other.send(new ListLicenseConfigurationsCommand({ LicenseConfigurationArns: [arn] })))
          .LicenseConfigurations,
      ).toEqual([]);
    });
  }

  it('leaves the owner’s configuration untouched', async () => {
    const owner = licenseManager(system, accounts.management);
    const read = await owner.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    expect(read).toMatchObject({ Name: 'owned', Tags: [{ Key: 'k', Value: 'v' }] });
    expect((await owner.send(new ListLicenseConfigurationsCommand({}))).LicenseConfigurations).toHaveLength(1);
  });

  it('does not accept a page token minted for another account', async () => {
    const owner = licenseManager(system, accounts.management);
    await owner.send(new CreateLicenseConfigurationCommand({ Name: 'second', LicenseCountingType: 'vCPU' }));
    const page = await owner.send(new ListLicenseConfigurationsCommand({ MaxResults: 1 }));
    expect(page.NextToken).toBeTruthy();
    const other = licenseManager(system, accounts.member);
    await expect(other.send(new ListLicenseConfigurationsCommand({ NextToken: page.NextToken }))).rejects.toMatchObject(
      {
        name: 'InvalidParameterValueException',
      },
    );
  });
});
