import {
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  ListLicenseConfigurationsForOrganizationCommand,
  ListUsageForLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  UpdateServiceSettingsCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfiguration, licenseManager } from '../support/clients';
import { reportResources } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('configurations shared with the organization', () => {
  let system: RunningSystem;
  let sharedArn: string;
  let memberOwnArn: string;
  let memberInstance: string;
  let outsiderInstance: string;

  beforeAll(async () => {
    system = await startSystem();
    const management = licenseManager(system, accounts.management);
    sharedArn = await createConfiguration(management, {
      Name: 'org-wide',
      LicenseCountingType: 'Instance',
      LicenseCount: 1,
      LicenseCountHardLimit: true,
    });
    memberOwnArn = await createConfiguration(licenseManager(system, accounts.member), {
      Name: 'member-own',
      LicenseCountingType: 'vCPU',
    });
    [memberInstance, outsiderInstance] = await reportResources(system, [
      { accountId: '222222222222', resourceId: 'i-0d0000000000000a1', resourceType: 'EC2_INSTANCE', state: 'running' },
      { accountId: '333333333333', resourceId: 'i-0d0000000000000a2', resourceType: 'EC2_INSTANCE', state: 'running' },
    ]);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const associateAs = (account: (typeof accounts)[keyof typeof accounts], resourceArn: string) =>
    licenseManager(system, account).send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: resourceArn,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: sharedArn }],
      }),
    );

  it('are neither visible nor usable before the management account links the organization', async () => {
    const member = licenseManager(system, accounts.member);
    await expect(
      member.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: sharedArn })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    // The resource is the member's own: what it may not use is the configuration.
    await expect(associateAs(accounts.member, memberInstance)).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: `License configuration ${sharedArn} does not exist.`,
    });
  });

  it('are visible to and consumed by member accounts once it does, and by no one else', async () => {
    await licenseManager(system, accounts.management).send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }),
    );
    const member = licenseManager(system, accounts.member);
    expect((await member.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: sharedArn }))).Name).toBe(
      'org-wide',
    );
    const listed = (await member.send(new ListLicenseConfigurationsCommand({}))).LicenseConfigurations!.map(
      (c) => c.LicenseConfigurationArn,
    );
    expect(listed.sort()).toEqual([memberOwnArn, sharedArn].sort());
    await associateAs(accounts.member, memberInstance);
    const usage = await licenseManager(system, accounts.management).send(
      new ListUsageForLicenseConfigurationCommand({ LicenseConfigurationArn: sharedArn }),
    );
    expect(usage.LicenseConfigurationUsageList).toMatchObject([
      { ResourceArn: memberInstance, ResourceOwnerId: '222222222222', ConsumedLicenses: 1 },
    ]);

    const outsider = licenseManager(system, accounts.outsider);
    await expect(
      outsider.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: sharedArn })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(associateAs(accounts.outsider, outsiderInstance)).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: `License configuration ${sharedArn} does not exist.`,
    });
    expect((await outsider.send(new ListLicenseConfigurationsCommand({}))).LicenseConfigurations).toEqual([]);
  });

  it('lists the whole organization for the management account only', async () => {
    const all = await licenseManager(system, accounts.management).send(
      new ListLicenseConfigurationsForOrganizationCommand({}),
    );
    expect(all.LicenseConfigurations!.map((c) => [c.LicenseConfigurationArn, c.OwnerAccountId]).sort()).toEqual(
      [
        [sharedArn, '111111111111'],
        [memberOwnArn, '222222222222'],
      ].sort(),
    );
    await expect(
      licenseManager(system, accounts.member).send(new ListLicenseConfigurationsForOrganizationCommand({})),
    ).rejects.toMatchObject({
      name: 'AuthorizationException',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
