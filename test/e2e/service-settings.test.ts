import { GetServiceSettingsCommand, UpdateServiceSettingsCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('GetServiceSettings and UpdateServiceSettings', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('starts with single-account settings', async () => {
    const settings = await licenseManager(system, accounts.member).send(new GetServiceSettingsCommand({}));
    expect(settings).toMatchObject({
      OrganizationConfiguration: { EnableIntegration: false },
      EnableCrossAccountsDiscovery: false,
      CrossRegionDiscoveryHomeRegion: 'us-east-1',
      CrossRegionDiscoverySourceRegions: [],
    });
    expect(settings.LicenseManagerResourceShareArn).toBeUndefined();
  });

  it('lets the management account link the organization and turn on cross-account discovery, for good', async () => {
    const client = licenseManager(system, accounts.management);
    await client.send(
      new UpdateServiceSettingsCommand({
        SnsTopicArn: 'arn:aws:sns:us-east-1:111111111111:aws-license-manager-service-alerts',
        S3BucketArn: 'arn:aws:s3:::aws-license-manager-service-reports',
        EnabledDiscoverySourceRegions: ['us-east-1', 'eu-west-1'],
      }),
    );
    await client.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true }));
    const settings = await client.send(new GetServiceSettingsCommand({}));
    expect(settings).toMatchObject({
      SnsTopicArn: 'arn:aws:sns:us-east-1:111111111111:aws-license-manager-service-alerts',
      S3BucketArn: 'arn:aws:s3:::aws-license-manager-service-reports',
      OrganizationConfiguration: { EnableIntegration: true },
      EnableCrossAccountsDiscovery: true,
      CrossRegionDiscoverySourceRegions: ['us-east-1', 'eu-west-1'],
      ServiceStatus: { CrossAccountDiscovery: { Message: 'Cross-account discovery is enabled.' } },
    });
    expect(settings.LicenseManagerResourceShareArn).toMatch(
      /^arn:aws:ram:us-east-1:111111111111:resource-share\/[0-9a-f-]{36}$/,
    );

    await expect(
      client.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: false })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/cannot be turned off/),
    });
    await expect(
      client.send(new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: false } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    expect((await client.send(new GetServiceSettingsCommand({}))).EnableCrossAccountsDiscovery).toBe(true);
  });

  it('refuses organization features to members and outsiders, and bad topic or bucket ARNs', async () => {
    for (const account of [accounts.member, accounts.outsider]) {
      const client = licenseManager(system, account);
      await expect(
        client.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true })),
      ).rejects.toMatchObject({
        name: 'AuthorizationException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        client.send(new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } })),
      ).rejects.toMatchObject({ name: 'AuthorizationException' });
    }
    const member = licenseManager(system, accounts.member);
    await expect(
      member.send(new UpdateServiceSettingsCommand({ SnsTopicArn: 'arn:aws:sns:us-east-1:222222222222:my-topic' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(member.send(new UpdateServiceSettingsCommand({ S3BucketArn: 'not-an-arn' }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(
      member.send(new UpdateServiceSettingsCommand({ EnabledDiscoverySourceRegions: ['mars-1'] })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    expect((await member.send(new GetServiceSettingsCommand({}))).EnableCrossAccountsDiscovery).toBe(false);
  });

  it('works from the AWS CLI', async () => {
    const result = await awsCli(system, accounts.outsider, ['license-manager', 'get-service-settings']);
    expect(result.json).toMatchObject({
      EnableCrossAccountsDiscovery: false,
      OrganizationConfiguration: { EnableIntegration: false },
    });
  });
});
