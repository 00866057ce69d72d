import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('license configurations through the AWS CLI', () => {
  let system: RunningSystem;
  const cli = (...args: string[]) => awsCli(system, accounts.member, ['license-manager', ...args]);

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('runs the whole lifecycle', async () => {
    const created = await cli(
      'create-license-configuration',
      '--name',
      'Oracle DB',
      '--license-counting-type',
      'vCPU',
      '--license-count',
      '64',
      '--license-count-hard-limit',
      '--license-rules',
      '#minimumVcpus=2',
      '#honorVcpuOptimization=True',
      '--tags',
      'Key=cost-center,Value=42',
    );
    expect(created.stderr).toBe('');
    const arn: string = created.json.LicenseConfigurationArn;
    expect(arn).toMatch(/^arn:aws:license-manager:us-east-1:222222222222:license-configuration:lic-[0-9a-f]{32}$/);

    const got = await cli('get-license-configuration', '--license-configuration-arn', arn);
    expect(got.json).toMatchObject({
      Name: 'Oracle DB',
      LicenseCountingType: 'vCPU',
      LicenseCount: 64,
      LicenseCountHardLimit: true,
      LicenseRules: ['#minimumVcpus=2', '#honorVcpuOptimization=True'],
      Status: 'AVAILABLE',
      OwnerAccountId: '222222222222',
      Tags: [{ Key: 'cost-center', Value: '42' }],
    });

    expect(
      (
        await cli(
          'update-license-configuration',
          '--license-configuration-arn',
          arn,
          '--license-configuration-status',
          'DISABLED',
          '--no-license-count-hard-limit',
        )
      ).exitCode,
    ).toBe(0);
    expect((await cli('get-license-configuration', '--license-configuration-arn', arn)).json).toMatchObject({
      Status: 'DISABLED',
      LicenseCountHardLimit: false,
    });

    expect((await cli('tag-resource', '--resource-arn', arn, '--tags', 'Key=env,Value=prod')).exitCode).toBe(0);
    expect((await cli('untag-resource', '--resource-arn', arn, '--tag-keys', 'cost-center')).exitCode).toBe(0);
    expect((await cli('list-tags-for-resource', '--resource-arn', arn)).json).toEqual({
      Tags: [{ Key: 'env', Value: 'prod' }],
    });

    const filtered = await cli('list-license-configurations', '--filters', 'Name=licenseCountingType,Values=vCPU');
    expect(
      filtered.json.LicenseConfigurations.map((c: { LicenseConfigurationArn: string }) => c.LicenseConfigurationArn),
    ).toEqual([arn]);
    const none = await cli('list-license-configurations', '--filters', 'Name=licenseCountingType,Values=Socket');
    expect(none.json.LicenseConfigurations).toEqual([]);

    expect((await cli('delete-license-configuration', '--license-configuration-arn', arn)).exitCode).toBe(0);
    const gone = await cli('get-license-configuration', '--license-configuration-arn', arn);
    expect(gone.exitCode).not.toBe(0);
    expect(gone.stderr).toMatch(/InvalidParameterValueException/);
  });

  it('follows NextToken pages and honours --max-items', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await cli('create-license-configuration', '--name', `cli-${i}`, '--license-counting-type', 'Instance'))
          .exitCode,
      ).toBe(0);
    }
    const all = await cli('list-license-configurations', '--page-size', '2');
    expect(all.json.LicenseConfigurations.map((c: { Name: string }) => c.Name)).toEqual([
      'cli-0',
      'cli-1',
      'cli-2',
      'cli-3',
      'cli-4',
    ]);
    const firstThree = await cli('list-license-configurations', '--page-size', '2', '--max-items', '3');
    expect(firstThree.json.LicenseConfigurations).toHaveLength(3);
    expect(firstThree.json.NextToken).toBeTruthy();
    const rest = await cli(
      'list-license-configurations',
      '--page-size',
      '2',
      '--starting-token',
      firstThree.json.NextToken,
    );
    expect(rest.json.LicenseConfigurations.map((c: { Name: string }) => c.Name)).toEqual(['cli-3', 'cli-4']);
  });

  it('reports bad input as the CLI shows AWS errors', async () => {
    const bad = await cli(
      'create-license-configuration',
      '--name',
      'x',
      '--license-counting-type',
      'Core',
      '--license-rules',
      '#allowedTenancy=EC2-Default',
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/\(InvalidParameterValueException\).*CreateLicenseConfiguration.*DedicatedHost/);
  });

  it('keeps every long digit for digit, the largest and those past 2 ** 53 - 1, and quotes one beyond a long as typed', async () => {
    // The CLI's JSON output prints Python's exact integers: its text is compared, not a JavaScript parse of it.
    const countOf = async (arn: string) =>
      /"LicenseCount": (\d+)/.exec(
        (await cli('get-license-configuration', '--license-configuration-arn', arn)).stdout,
      )?.[1];
    const created = await cli(
      'create-license-configuration',
      '--name',
      'cli-long',
      '--license-counting-type',
      'Core',
      '--license-count',
      '9223372036854775807',
      '--license-count-hard-limit',
    );
    expect(created.stderr).toBe('');
    const arn: string = created.json.LicenseConfigurationArn;
    expect(await countOf(arn)).toBe('9223372036854775807');
    const listed = await cli('list-license-configurations', '--license-configuration-arns', arn);
    expect(listed.stdout).toContain('"LicenseCount": 9223372036854775807');

    for (const count of ['9007199254740993', '9007199254740991']) {
      const updated = await cli(
        'update-license-configuration',
        '--license-configuration-arn',
        arn,
        '--license-count',
        count,
      );
      expect(updated.stderr).toBe('');
      expect(await countOf(arn)).toBe(count);
    }

    const beyond = await cli(
      'create-license-configuration',
      '--name',
      'cli-beyond',
      '--license-counting-type',
      'Core',
      '--license-count',
      '9223372036854775808',
    );
    expect(beyond.exitCode).not.toBe(0);
    expect(beyond.stderr).toContain('(InvalidParameterValueException) when calling the CreateLicenseConfiguration');
    expect(beyond.stderr).toContain(
      "1 validation error detected: Value '9223372036854775808' at 'licenseCount' failed to satisfy constraint: Member must be a long integer",
    );
  });

  it('reaches the subscription APIs over restJson1: user subscriptions and Linux subscriptions answer', async () => {
    const users = await awsCli(system, accounts.member, [
      'license-manager-user-subscriptions',
      'list-identity-providers',
    ]);
    expect(users.exitCode).toBe(0);
    expect(JSON.parse(users.stdout)).toMatchObject({ IdentityProviderSummaries: [] });
    const linux = await awsCli(system, accounts.member, [
      'license-manager-linux-subscriptions',
      'get-service-settings',
    ]);
    expect(linux.exitCode).toBe(0);
    expect(JSON.parse(linux.stdout)).toMatchObject({ LinuxSubscriptionsDiscovery: 'Disabled' });
    const tags = await awsCli(system, accounts.member, [
      'license-manager-linux-subscriptions',
      'list-tags-for-resource',
      '--resource-arn',
      'arn:aws:license-manager-linux-subscriptions:us-east-1:222222222222:subscription-provider/sp-1',
    ]);
    expect(tags.stderr).toMatch(/\(ResourceNotFoundException\).*ListTagsForResource/);
  });
});
