import {
  CreateLicenseConfigurationCommand,
  DeleteLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListAssociationsForLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  ListLicenseSpecificationsForResourceCommand,
  ListUsageForLicenseConfigurationCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  type CreateLicenseConfigurationCommandInput,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportResources, type ObservedResource } from '../support/inventory';
import { associationsOf, CountingAgent, licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const OWNER = '111111111111';
let counter = 0;
const instance = (facts: Partial<ObservedResource> = {}): ObservedResource => ({
  accountId: OWNER,
  resourceId: `i-${(++counter).toString(16).padStart(17, '0')}`,
  resourceType: 'EC2_INSTANCE',
  state: 'running',
  vCpuCount: 4,
  coreCount: 2,
  threadsPerCore: 2,
  tenancy: 'default',
  ...facts,
});

describe('associating resources with license configurations', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;
  const create = async (input: Partial<CreateLicenseConfigurationCommandInput>) =>
    (await client.send(new CreateLicenseConfigurationCommand({ Name: 'c', LicenseCountingType: 'vCPU', ...input })))
      .LicenseConfigurationArn!;
  const associate = (resourceArn: string, ...arns: string[]) => associateAs(client, resourceArn, ...arns);
  const associateAs = (as: LicenseManagerClient, resourceArn: string, ...arns: string[]) =>
    as.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: resourceArn,
        AddLicenseSpecifications: arns.map((LicenseConfigurationArn) => ({ LicenseConfigurationArn })),
      }),
    );
  const disassociate = (resourceArn: string, ...arns: string[]) =>
    client.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: resourceArn,
        RemoveLicenseSpecifications: arns.map((LicenseConfigurationArn) => ({ LicenseConfigurationArn })),
      }),
    );
  const get = (arn: string) => client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));

  beforeAll(async () => {
    system = await startSystem({ LM_QUOTA_LICENSE_CONFIGURATIONS: '1000' });
    client = licenseManager(system, accounts.management);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('consumes vCPUs up to a hard limit and refuses the association that would pass it, storing nothing', async () => {
    const config = await create({ LicenseCount: 8, LicenseCountHardLimit: true });
    const [a, b, c] = await reportResources(system, [instance(), instance(), instance()]);
    await associate(a, config);
    await associate(b, config);
    await expect(associate(c, config)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      $metadata: { httpStatusCode: 412 },
    });
    const read = await get(config);
    expect(read).toMatchObject({
      ConsumedLicenses: 8,
      ConsumedLicenseSummaryList: [{ ResourceType: 'EC2_INSTANCE', ConsumedLicenses: 8 }],
      ManagedResourceSummaryList: [{ ResourceType: 'EC2_INSTANCE', AssociationCount: 2 }],
    });
    const associations = await client.send(
      new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: config }),
    );
    expect(associations.LicenseConfigurationAssociations!.map((x) => x.ResourceArn)).toEqual([a, b]);
    expect(
      (await client.send(new ListLicenseSpecificationsForResourceCommand({ ResourceArn: c }))).LicenseSpecifications,
    ).toEqual([]);
    const usage = await client.send(new ListUsageForLicenseConfigurationCommand({ LicenseConfigurationArn: config }));
    expect(
      usage.LicenseConfigurationUsageList!.map((u) => [
        u.ResourceArn,
        u.ConsumedLicenses,
        u.ResourceStatus,
        u.ResourceOwnerId,
      ]),
    ).toEqual([
      [a, 4, 'running', OWNER],
      [b, 4, 'running', OWNER],
    ]);
    // Freed licences can be taken again.
    await disassociate(a, config);
    await associate(c, config);
    expect((await get(config)).ConsumedLicenses).toBe(8);
  });

  it('allows passing a soft limit and says so', async () => {
    const config = await create({ LicenseCount: 4, LicenseCountHardLimit: false });
    const [a, b] = await reportResources(system, [instance(), instance()]);
    await associate(a, config);
    await associate(b, config);
    expect((await get(config)).ConsumedLicenses).toBe(8);
    const exceeded = await client.send(
      new ListLicenseConfigurationsCommand({ Filters: [{ Name: 'usagelimitExceeded', Values: ['true'] }] }),
    );
    expect(exceeded.LicenseConfigurations!.map((x) => x.LicenseConfigurationArn)).toContain(config);
  });

  it('enforces every rule against the resource', async () => {
    const [small, big, dedicated, stopped, terminated] = await reportResources(system, [
      instance({ vCpuCount: 2 }),
      instance({ vCpuCount: 64 }),
      instance({ tenancy: 'dedicated' }),
      instance({ state: 'stopped' }),
      instance({ state: 'terminated' }),
    ]);
    const bounded = await create({ LicenseRules: ['#minimumVcpus=4', '#maximumVcpus=16'] });
    await expect(associate(small, bounded)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/minimumVcpus=4/),
    });
    await expect(associate(big, bounded)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/maximumVcpus=16/),
    });
    const sharedOnly = await create({ LicenseCountingType: 'Instance', LicenseRules: ['#allowedTenancy=EC2-Default'] });
    await expect(associate(dedicated, sharedOnly)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/tenancy/),
    });
    // A stopped instance can be associated but consumes nothing; a terminated one cannot be.
    const counted = await create({ LicenseCountingType: 'Instance', LicenseCount: 1, LicenseCountHardLimit: true });
    await associate(stopped, counted);
    expect((await get(counted)).ConsumedLicenses).toBe(0);
    await expect(associate(terminated, counted)).rejects.toMatchObject({ name: 'InvalidResourceStateException' });
    // honorVcpuOptimization counts cores x threads instead of the reported vCPUs.
    const [optimized] = await reportResources(system, [instance({ vCpuCount: 8, coreCount: 2, threadsPerCore: 1 })]);
    const honoring = await create({ LicenseRules: ['#honorVcpuOptimization=True'] });
    await associate(optimized, honoring);
    expect((await get(honoring)).ConsumedLicenses).toBe(2);
  });

  it('counts cores and sockets on Dedicated Hosts, once per host', async () => {
    const [host] = await reportResources(system, [
      {
        accountId: OWNER,
        resourceId: 'h-0123456789abcdef0',
        resourceType: 'EC2_HOST',
        state: 'available',
        coreCount: 24,
        socketCount: 2,
      },
    ]);
    const [onHost1, onHost2, shared] = await reportResources(system, [
      instance({ tenancy: 'host', hostId: 'h-0123456789abcdef0' }),
      instance({ tenancy: 'host', hostId: 'h-0123456789abcdef0' }),
      instance(),
    ]);
    const cores = await create({
      LicenseCountingType: 'Core',
      LicenseCount: 48,
      LicenseCountHardLimit: true,
      LicenseRules: ['#allowedTenancy=EC2-DedicatedHost', '#maximumCores=32'],
    });
    await associate(onHost1, cores);
    await associate(onHost2, cores);
    expect((await get(cores)).ConsumedLicenses).toBe(24);
    // The host itself shares the licences its instances already count.
    await associate(host, cores);
    expect((await get(cores)).ConsumedLicenses).toBe(24);
    const [secondHost] = await reportResources(system, [
      {
        accountId: OWNER,
        resourceId: 'h-0fedcba9876543210',
        resourceType: 'EC2_HOST',
        state: 'available',
        coreCount: 24,
        socketCount: 2,
      },
    ]);
    await associate(secondHost, cores);
    expect((await get(cores)).ConsumedLicenses).toBe(48);
    const [thirdHost] = await reportResources(system, [
      {
        accountId: OWNER,
        resourceId: 'h-0aaaaaaaaaaaaaaaa',
        resourceType: 'EC2_HOST',
        state: 'available',
        coreCount: 8,
        socketCount: 1,
      },
    ]);
    await expect(associate(thirdHost, cores)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/hard limit is 48/),
    });
    await expect(associate(shared, cores)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/tenancy EC2-Default is not allowed/),
    });
    const sockets = await create({ LicenseCountingType: 'Socket', LicenseCount: 2, LicenseCountHardLimit: true });
    await associate(host, sockets);
    expect((await get(sockets)).ConsumedLicenses).toBe(2);
    // Without a tenancy rule, cores and sockets still can only be counted on a Dedicated Host.
    await expect(associate(shared, sockets)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/needs a Dedicated Host/),
    });
  });

  it('associates AMIs without consuming, and keeps at most 10 configurations per resource', async () => {
    const [ami] = await reportResources(system, [
      { accountId: OWNER, resourceId: 'ami-0123456789abcdef0', resourceType: 'EC2_AMI', state: 'available' },
    ]);
    const configs = await Promise.all(
      Array.from({ length: 11 }, () =>
        create({ LicenseCountingType: 'Instance', LicenseCount: 0, LicenseCountHardLimit: true }),
      ),
    );
    await client.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: ami,
        AddLicenseSpecifications: configs
          .slice(0, 10)
          .map((LicenseConfigurationArn) => ({ LicenseConfigurationArn, AmiAssociationScope: 'cross-account' })),
      }),
    );
    expect((await get(configs[0])).ManagedResourceSummaryList).toEqual([
      { ResourceType: 'EC2_AMI', AssociationCount: 1 },
    ]);
    expect((await get(configs[0])).ConsumedLicenses).toBe(0);
    await expect(associate(ami, configs[10])).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/at most 10/),
    });
    const specs = await client.send(
      new ListLicenseSpecificationsForResourceCommand({ ResourceArn: ami, MaxResults: 4 }),
    );
    expect(specs.LicenseSpecifications).toHaveLength(4);
    expect(specs.NextToken).toBeTruthy();
    expect(specs.LicenseSpecifications![0]).toMatchObject({ AmiAssociationScope: 'cross-account' });
  });

  it('takes no new associations on a disabled configuration, and deletes only once nothing is associated', async () => {
    const config = await create({});
    const [a, b] = await reportResources(system, [instance(), instance()]);
    await associate(a, config);
    await client.send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: config,
        LicenseConfigurationStatus: 'DISABLED',
      }),
    );
    await expect(associate(b, config)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/disabled/),
    });
    await expect(
      client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: config })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/disassociate/),
    });
    await disassociate(a, config);
    await client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: config }));
  });

  it('admits nothing once the licences have expired (LicenseExpiry)', async () => {
    const expired = await create({ LicenseExpiry: Math.floor(Date.now() / 1000) - 60 });
    const current = await create({ LicenseExpiry: Math.floor(Date.now() / 1000) + 86_400 });
    const [a] = await reportResources(system, [instance()]);
    await expect(associate(a, expired)).rejects.toMatchObject({
      name: 'LicenseUsageException',
      message: expect.stringMatching(/expired/),
    });
    await associate(a, current);
  });

  it('refuses resources outside the inventory and configurations of other accounts', async () => {
    const config = await create({});
    await expect(associate('arn:aws:ec2:us-east-1:111111111111:instance/i-unknown', config)).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/not in the inventory/),
    });
    const [mine] = await reportResources(system, [instance()]);
    const other = licenseManager(system, accounts.member);
    await expect(
      other.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: mine,
          AddLicenseSpecifications: [{ LicenseConfigurationArn: config }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      other.send(new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: config })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });

  it('under 200 concurrent associations with room for 20, exactly 20 succeed', async () => {
    const config = await create({ LicenseCountingType: 'Instance', LicenseCount: 20, LicenseCountHardLimit: true });
    const arns = await reportResources(
      system,
      Array.from({ length: 200 }, () => instance()),
    );
    const agent = new CountingAgent();
    const concurrent = licenseManager(system, accounts.management, agent);
    const results = await Promise.allSettled(arns.map((arn) => associateAs(concurrent, arn, config)));
    // More at once than the SDK's default agent (50 sockets) would ever have let through.
    expect(agent.peakInFlight).toBeGreaterThan(50);
    const succeeded = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(succeeded).toBe(20);
    expect(refused).toHaveLength(180);
    for (const r of refused) expect(r.reason).toMatchObject({ name: 'LicenseUsageException' });
    expect((await get(config)).ConsumedLicenses).toBe(20);
    expect(await associationsOf(client, config)).toHaveLength(20);
  });
});
