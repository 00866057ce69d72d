import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Batch, boto3Script } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('license configurations through boto3', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('creates, reads, pages, tags, refuses bad rules and deletes', async () => {
    const stdout = await boto3Script(system, accounts.member, join(__dirname, 'boto3-client.py'));
    const observed = JSON.parse(stdout);
    expect(observed.arn).toMatch(
      /^arn:aws:license-manager:us-east-1:222222222222:license-configuration:lic-[0-9a-f]{32}$/,
    );
    expect(observed.get).toEqual({
      Name: 'boto3',
      LicenseCountingType: 'Instance',
      LicenseCount: 3,
      LicenseRules: ['#maximumVcpus=8'],
      Status: 'AVAILABLE',
      Tags: [{ Key: 'sdk', Value: 'python' }],
    });
    expect(observed.pages).toEqual([['boto3', 'boto3-0'], ['boto3-1', 'boto3-2'], ['boto3-3']]);
    expect(observed.tags).toEqual(['sdk', 'team']);
    expect(observed.error).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(observed.error.message).toMatch(/EC2-DedicatedHost/);
    expect(observed.after_delete).toBe('InvalidParameterValueException');
  });

  it("keeps longs past 2 ** 53 - 1 digit for digit: a configuration's LicenseCount and an entitlement's MaxCount", async () => {
    const created = await boto3Batch(system, accounts.member, 'license-manager', [
      {
        name: 'configuration',
        op: 'create_license_configuration',
        params: { Name: 'boto3-long', LicenseCountingType: 'Core', LicenseCount: 9223372036854775807n },
      },
      {
        name: 'licence',
        op: 'create_license',
        params: {
          LicenseName: 'boto3-long',
          ProductName: 'Long',
          ProductSKU: 'boto3-long',
          Issuer: { Name: 'Example ISV' },
          HomeRegion: system.region,
          Validity: { Begin: '2026-01-01T00:00:00Z', End: '2036-01-01T00:00:00Z' },
          Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 9007199254740993n }],
          Beneficiary: 'customer@example.com',
          ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
          ClientToken: 'boto3-long',
        },
      },
    ]);
    expect(created.licence.error).toBeUndefined();
    expect(created.configuration.error).toBeUndefined();
    const read = await boto3Batch(system, accounts.member, 'license-manager', [
      {
        name: 'configuration',
        op: 'get_license_configuration',
        params: { LicenseConfigurationArn: created.configuration.result!.LicenseConfigurationArn },
      },
      { name: 'licence', op: 'get_license', params: { LicenseArn: created.licence.result!.LicenseArn } },
    ]);
    expect(read.configuration.result!.LicenseCount).toBe(9223372036854775807n);
    expect(read.licence.result!.License.Entitlements).toEqual([
      { Name: 'Seats', Unit: 'Count', MaxCount: 9007199254740993n },
    ]);
  });
});
