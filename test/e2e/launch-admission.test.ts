import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListUsageForLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager, rawRequest } from '../support/clients';
import { reportResources } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('launch admission (POST /launch/AuthorizeLaunch and lm.licensing.AuthorizeLaunch)', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;
  let nc: NatsConnection;
  const authorize = (body: unknown, account = accounts.management) =>
    rawRequest(system, {
      account,
      path: '/launch/AuthorizeLaunch',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const create = async (input: Record<string, unknown>) =>
    (
      await client.send(
        new CreateLicenseConfigurationCommand({ Name: 'launch', LicenseCountingType: 'Instance', ...input }),
      )
    ).LicenseConfigurationArn!;
  const consumed = async (arn: string) =>
    (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).ConsumedLicenses;

  beforeAll(async () => {
    system = await startSystem();
    client = licenseManager(system, accounts.management);
    nc = await connect({ servers: process.env.NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  it('reserves the licences of the named configurations, once per resource, and refuses past the hard limit', async () => {
    const config = await create({ LicenseCount: 2, LicenseCountHardLimit: true });
    const launch = (id: string) =>
      authorize({ ResourceId: id, ResourceType: 'EC2_INSTANCE', VCpuCount: 4, LicenseConfigurationArns: [config] });
    const first = await launch('i-0000000000000000a');
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ Authorized: true, LicenseConfigurationArns: [config] });
    expect((await launch('i-0000000000000000a')).status).toBe(200);
    expect(await consumed(config)).toBe(1);
    expect((await launch('i-0000000000000000b')).status).toBe(200);
    const refused = await launch('i-0000000000000000c');
    expect(refused.status).toBe(412);
    expect(refused.headers.get('x-amzn-errortype')).toBe('LicenseUsageException');
    expect(refused.json.message).toContain(config);
    expect(await consumed(config)).toBe(2);
    const usage = await client.send(new ListUsageForLicenseConfigurationCommand({ LicenseConfigurationArn: config }));
    expect(usage.LicenseConfigurationUsageList!.map((u) => u.ResourceArn)).toEqual([
      'arn:aws:ec2:us-east-1:111111111111:instance/i-0000000000000000a',
      'arn:aws:ec2:us-east-1:111111111111:instance/i-0000000000000000b',
    ]);
  });

  it('checks the configurations of the AMI the instance is launched from, with their rules', async () => {
    const [ami] = await reportResources(system, [
      { accountId: '111111111111', resourceId: 'ami-0aaaaaaaaaaaaaaaa', resourceType: 'EC2_AMI', state: 'available' },
    ]);
    const vcpus = await create({
      LicenseCountingType: 'vCPU',
      LicenseCount: 10,
      LicenseCountHardLimit: true,
      LicenseRules: ['#maximumVcpus=8'],
    });
    await client.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: ami,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: vcpus }],
      }),
    );
    const ok = await authorize({
      ResourceId: 'i-0000000000000001a',
      ResourceType: 'EC2_INSTANCE',
      AmiId: 'ami-0aaaaaaaaaaaaaaaa',
      VCpuCount: 8,
    });
    expect(ok.json).toEqual({ Authorized: true, LicenseConfigurationArns: [vcpus] });
    const tooBig = await authorize({
      ResourceId: 'i-0000000000000001b',
      ResourceType: 'EC2_INSTANCE',
      AmiId: 'ami-0aaaaaaaaaaaaaaaa',
      VCpuCount: 16,
    });
    expect(tooBig.status).toBe(412);
    expect(tooBig.json.message).toMatch(/maximumVcpus=8/);
    const overLimit = await authorize({
      ResourceId: 'i-0000000000000001c',
      ResourceType: 'EC2_INSTANCE',
      AmiId: 'ami-0aaaaaaaaaaaaaaaa',
      VCpuCount: 4,
    });
    expect(overLimit.status).toBe(412);
    expect(await consumed(vcpus)).toBe(8);
    // Nothing applies to an instance from another AMI: nothing to check, nothing reserved.
    const free = await authorize({
      ResourceId: 'i-0000000000000001d',
      ResourceType: 'EC2_INSTANCE',
      AmiId: 'ami-0bbbbbbbbbbbbbbbb',
      VCpuCount: 4,
    });
    expect(free.json).toEqual({ Authorized: true, LicenseConfigurationArns: [] });
  });

  it('answers orchestrators on NATS in plain JSON', async () => {
    const config = await create({ LicenseCount: 1, LicenseCountHardLimit: true });
    const subject = `lm.${system.natsNamespace}.licensing.AuthorizeLaunch`;
    const codec = JSONCodec();
    const ask = async (body: unknown) =>
      codec.decode((await nc.request(subject, codec.encode(body), { timeout: 5_000 })).data) as Record<string, unknown>;
    expect(
      await ask({
        ResourceId: 'i-0000000000000002a',
        ResourceType: 'EC2_INSTANCE',
        AccountId: '111111111111',
        LicenseConfigurationArns: [config],
      }),
    ).toEqual({
      Authorized: true,
      LicenseConfigurationArns: [config],
    });
    expect(
      await ask({
        ResourceId: 'i-0000000000000002b',
        ResourceType: 'EC2_INSTANCE',
        AccountId: '111111111111',
        LicenseConfigurationArns: [config],
      }),
    ).toMatchObject({
      __type: 'LicenseUsageException',
    });
    expect(
      await ask({
        ResourceId: 'i-0000000000000002c',
        ResourceType: 'EC2_INSTANCE',
        LicenseConfigurationArns: [config],
      }),
    ).toMatchObject({
      __type: 'ValidationException',
      message: expect.stringMatching(/AccountId/),
    });
    expect(await ask({ ResourceType: 'EC2_INSTANCE', AccountId: '111111111111' })).toMatchObject({
      __type: 'ValidationException',
      message: expect.stringMatching(/resourceId/),
    });
  });

  it('refuses bad requests and launches in accounts the caller does not manage', async () => {
    const config = await create({});
    expect((await authorize({ ResourceId: 'i-1', ResourceType: 'EC2_AMI' })).status).toBe(400);
    expect((await authorize({ ResourceId: 'i-1', ResourceType: 'EC2_INSTANCE', VCpuCount: -1 })).status).toBe(400);
    expect(
      (
        await authorize({
          ResourceId: 'i-1',
          ResourceType: 'EC2_INSTANCE',
          LicenseConfigurationArns: [
            'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-00000000000000000000000000000000',
          ],
        })
      ).status,
    ).toBe(400);
    const member = await authorize(
      {
        ResourceId: 'i-1',
        ResourceType: 'EC2_INSTANCE',
        AccountId: '111111111111',
        LicenseConfigurationArns: [config],
      },
      accounts.member,
    );
    expect(member.status).toBe(403);
    // The management account may launch in its member accounts (with their own configurations).
    const managed = await authorize({
      ResourceId: 'i-0000000000000003a',
      ResourceType: 'EC2_INSTANCE',
      AccountId: '222222222222',
    });
    expect(managed.json).toEqual({ Authorized: true, LicenseConfigurationArns: [] });
  });
});
