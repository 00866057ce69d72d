import {
  CreateLicenseConfigurationCommand,
  ListAssociationsForLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  UpdateServiceSettingsCommand,
  type ProductInformation,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { reportAndAwaitLicensing, type ObservedResource } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const SQL_SERVER: ProductInformation = {
  ResourceType: 'SSM_MANAGED',
  ProductInformationFilterList: [
    {
      ProductInformationFilterName: 'Application Name',
      ProductInformationFilterValue: ['SQL Server Enterprise'],
      ProductInformationFilterComparator: 'EQUALS',
    },
  ],
};

describe('automated discovery from product information', () => {
  let system: RunningSystem;
  const member = () => licenseManager(system, accounts.member);
  const associated = async (client: ReturnType<typeof member>, arn: string) =>
    (await client.send(new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: arn })))
      .LicenseConfigurationAssociations!.map((a) => a.ResourceArn)
      .sort();
  const vm = (id: string, facts: Partial<ObservedResource> = {}): ObservedResource => ({
    accountId: '222222222222',
    resourceId: id,
    resourceType: 'EC2_INSTANCE',
    state: 'running',
    platform: 'Windows Server 2022 Datacenter',
    ...facts,
  });

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('associates the resources running the product, keeps them out of manual disassociation, and lets them go when the software is gone', async () => {
    const [before] = await reportAndAwaitLicensing(system, [
      vm('i-0e0000000000000a0', { applications: [{ name: 'SQL Server Enterprise', version: '16.0' }] }),
    ]);
    const config = (
      await member().send(
        new CreateLicenseConfigurationCommand({
          Name: 'sql',
          LicenseCountingType: 'Instance',
          ProductInformationList: [SQL_SERVER],
          DisassociateWhenNotFound: true,
        }),
      )
    ).LicenseConfigurationArn!;
    // Found in the inventory that was there before the configuration.
    expect(await associated(member(), config)).toEqual([before]);

    const sql = vm('i-0e0000000000000a1', {
      applications: [{ name: 'SQL Server Enterprise', version: '16.0', publisher: 'Microsoft' }],
    });
    const [withSql, without] = await reportAndAwaitLicensing(system, [
      sql,
      vm('i-0e0000000000000a2', { applications: [{ name: 'Notepad++' }] }),
    ]);
    expect(await associated(member(), config)).toEqual([before, withSql].sort());
    expect(await associated(member(), config)).not.toContain(without);

    await expect(
      member().send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: withSql,
          RemoveLicenseSpecifications: [{ LicenseConfigurationArn: config }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/automated discovery/),
    });

    await reportAndAwaitLicensing(system, [{ ...sql, applications: [] }]);
    expect(await associated(member(), config)).toEqual([before]);
  });

  it('applies exclusion rules, which need cross-account discovery', async () => {
    const excluding: ProductInformation = {
      ResourceType: 'SSM_MANAGED',
      ProductInformationFilterList: [
        {
          ProductInformationFilterName: 'Platform Name',
          ProductInformationFilterValue: ['Windows Server 2022 Datacenter'],
          ProductInformationFilterComparator: 'EQUALS',
        },
        {
          ProductInformationFilterName: 'AccountId',
          ProductInformationFilterValue: ['444444444444'],
          ProductInformationFilterComparator: 'NOT_EQUALS',
        },
        { ProductInformationFilterName: 'Tag:lm-exclude', ProductInformationFilterComparator: 'NOT_EQUALS' },
      ],
    };
    await expect(
      member().send(
        new CreateLicenseConfigurationCommand({
          Name: 'win',
          LicenseCountingType: 'vCPU',
          ProductInformationList: [excluding],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/cross-account discovery/),
    });

    const management = licenseManager(system, accounts.management);
    await management.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true }));
    const config = (
      await management.send(
        new CreateLicenseConfigurationCommand({
          Name: 'win',
          LicenseCountingType: 'Instance',
          ProductInformationList: [excluding],
        }),
      )
    ).LicenseConfigurationArn!;
    const [memberVm, excludedAccountVm, taggedVm, linuxVm] = await reportAndAwaitLicensing(system, [
      vm('i-0e0000000000000b1'),
      vm('i-0e0000000000000b2', { accountId: '444444444444' }),
      vm('i-0e0000000000000b3', { tags: { 'lm-exclude': 'yes' } }),
      vm('i-0e0000000000000b4', { platform: 'Ubuntu 24.04' }),
    ]);
    const found = await associated(management, config);
    expect(found).toContain(memberVm);
    expect(found).not.toContain(excludedAccountVm);
    expect(found).not.toContain(taggedVm);
    expect(found).not.toContain(linuxVm);
  });
});
