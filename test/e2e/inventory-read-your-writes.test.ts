import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  type CreateLicenseConfigurationCommandInput,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import {
  observeResources,
  publishObservations,
  reportAndAwaitLicensing,
  reportResources,
  type ObservedResource,
} from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const OWNER = '111111111111';
let counter = 0;
const instance = (facts: Partial<ObservedResource> = {}): ObservedResource => ({
  accountId: OWNER,
  resourceId: `i-0b${(++counter).toString(16).padStart(15, '0')}`,
  resourceType: 'EC2_INSTANCE',
  state: 'running',
  vCpuCount: 2,
  ...facts,
});

/**
 * An integrator that reports a resource and then associates it meets no spurious "not in the
 * inventory": licensing asks discovery about a resource it has not heard of yet, and the events
 * that come later agree with what it learned.
 */
describe('reading your own inventory writes across services', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;
  const create = async (input: Partial<CreateLicenseConfigurationCommandInput>) =>
    (await client.send(new CreateLicenseConfigurationCommand({ Name: 'ryw', LicenseCountingType: 'vCPU', ...input })))
      .LicenseConfigurationArn!;
  const associate = (resourceArn: string, configurationArn: string, as = client) =>
    as.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: resourceArn,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: configurationArn }],
      }),
    );
  const consumed = async (arn: string) =>
    (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).ConsumedLicenses;

  beforeAll(async () => {
    system = await startSystem();
    client = licenseManager(system, accounts.management);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('associates each resource in the request right after ReportResources accepted it, every time', async () => {
    const config = await create({});
    // Discovery's events take a relay poll and a JetStream delivery: each association below is
    // sent before they can have reached licensing.
    for (let i = 0; i < 25; i++) {
      const [arn] = await reportResources(system, [instance()]);
      await associate(arn, config);
    }
    expect(await consumed(config)).toBe(50);
  });

  it('counts on the Dedicated Host reported with the instance, in the next request', async () => {
    const hostId = 'h-0b0000000000000a1';
    const [, onHost] = await reportResources(system, [
      { accountId: OWNER, resourceId: hostId, resourceType: 'EC2_HOST', state: 'available', coreCount: 24 },
      instance({ tenancy: 'host', hostId, coreCount: 4 }),
    ]);
    const cores = await create({ LicenseCountingType: 'Core', LicenseRules: ['#allowedTenancy=EC2-DedicatedHost'] });
    await associate(onHost, cores);
    expect(await consumed(cores)).toBe(24);
  });

  it("asks only the caller's inventory", async () => {
    const [theirs] = await reportResources(system, [instance({ accountId: accounts.member.accountId })]);
    const config = await create({});
    // The management account has not enabled cross-account discovery: the member's resource is not in its inventory.
    await expect(associate(theirs, config)).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: `Resource ${theirs} is not in the inventory.`,
    });
    const member = licenseManager(system, accounts.member);
    const own = (await member.send(new CreateLicenseConfigurationCommand({ Name: 'own', LicenseCountingType: 'vCPU' })))
      .LicenseConfigurationArn!;
    await associate(theirs, own, member);
  });

  it('lets the events that arrive later win only when they are newer', async () => {
    const config = await create({});
    const vm = instance({ vCpuCount: 4 });
    const before = new Date(Date.now() - 60_000).toISOString();
    const [arn] = await reportResources(system, [vm]);
    await associate(arn, config);
    expect(await consumed(config)).toBe(4);
    // An observation older than the one licensing asked discovery for changes nothing: published
    // ahead of another resource's, it has been handled once that one has.
    await publishObservations(system, [{ ...vm, state: 'stopped' }], before);
    await observeResources(system, [instance()]);
    expect(await consumed(config)).toBe(4);
    // A newer one does: the stop releases the licences.
    await reportAndAwaitLicensing(system, [{ ...vm, state: 'stopped' }]);
    expect(await consumed(config)).toBe(0);
  });
});
