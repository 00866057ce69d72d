import { UpdateServiceSettingsCommand } from '@aws-sdk/client-license-manager';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager, rawRequest } from '../support/clients';
import { reportResources, type ObservedResource } from '../support/inventory';
import { RedHatStandin } from '../support/redhat-standin';
import {
  boto3Linux,
  enableLinuxDiscovery,
  enableOrganizationDiscovery,
  eventually,
  instanceId,
  linuxInstance,
  type LinuxCall,
} from '../support/linux-subscriptions';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const LIMIT = 20;
const marketplace = [{ productCodeId: 'mkt0e2e0linux0code', productCodeType: 'marketplace' as const }];

/**
 * The guide's billing tables, a row each: the usage operation the instance reports (✗: plain
 * RunInstances), its Marketplace product code, the distribution it reports, and what it must be
 * listed as.
 */
const FLEET: { billing: Partial<ObservedResource>; name: string; type: string }[] = [
  {
    billing: { usageOperation: 'RunInstances:00g0' },
    name: 'Red Hat Enterprise Linux Server BYOS',
    type: 'Bring Your Own Subscription model (BYOS)',
  },
  {
    billing: { usageOperation: 'RunInstances:0010' },
    name: 'Red Hat Enterprise Linux Server',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:1010' },
    name: 'Red Hat Enterprise Linux with High Availability Add-on',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:1014' },
    name: 'Red Hat Enterprise Linux with SQL Server Standard and High Availability',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:1110' },
    name: 'Red Hat Enterprise Linux with SQL Server Enterprise and High Availability',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:0014' },
    name: 'Red Hat Enterprise Linux with SQL Server Standard',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:0210' },
    name: 'Red Hat Enterprise Linux with SQL Server Web',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:0110' },
    name: 'Red Hat Enterprise Linux with SQL Server Enterprise',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:000g', platform: 'SUSE Linux' },
    name: 'SUSE Linux Enterprise Server',
    type: 'EC2 subscription-included',
  },
  {
    billing: { usageOperation: 'RunInstances:0010', productCodes: marketplace },
    name: 'Red Hat Enterprise Linux for SAP with High Availability and Update Services',
    type: 'AWS Marketplace subscription',
  },
  {
    billing: { usageOperation: 'RunInstances', productCodes: marketplace, platform: 'SUSE Linux' },
    name: 'SUSE Linux Enterprise Server with SAP',
    type: 'AWS Marketplace subscription',
  },
  {
    billing: { usageOperation: 'RunInstances:0g00', productCodes: marketplace, platform: 'Ubuntu Pro' },
    name: 'Ubuntu Pro',
    type: 'AWS Marketplace subscription',
  },
  {
    billing: { productCodes: marketplace, platform: 'Red Hat Enterprise Linux' },
    name: 'Red Hat Enterprise Linux Workstation',
    type: 'AWS Marketplace subscription',
  },
];

/**
 * Linux subscription instances end to end: instances reported through the inventory API
 * (ReportResources), discovered for the accounts whose Linux subscriptions discovery covers them,
 * listed through boto3 (a python process per test) and the AWS CLI.
 */
describe('Linux subscription instances from the inventory', () => {
  let system: RunningSystem;
  const owner = accounts.member;
  const region = 'us-east-1';
  const ids = FLEET.map(() => instanceId('e1'));
  const fleet = FLEET.map((row, i) =>
    linuxInstance(owner.accountId, region, ids[i], { platformVersion: '9.4', ...row.billing }),
  );
  const els = linuxInstance(owner.accountId, region, instanceId('e1'), {
    usageOperation: 'RunInstances:0010',
    platformVersion: '7.9 ELS',
  });
  const stopped = linuxInstance(owner.accountId, region, instanceId('e1'), {
    usageOperation: 'RunInstances:0010',
    state: 'stopped',
  });
  const notCommercial = [
    linuxInstance(owner.accountId, region, instanceId('e1'), {
      usageOperation: 'RunInstances',
      platform: 'Linux/UNIX',
    }),
    linuxInstance(owner.accountId, region, instanceId('e1'), {
      usageOperation: 'RunInstances:0002',
      platform: 'Windows',
    }),
    linuxInstance(owner.accountId, region, instanceId('e1'), {
      usageOperation: 'RunInstances:000g',
      state: 'terminated',
    }),
  ];
  const listed = [...fleet, els, stopped];
  const all = (params: Record<string, unknown> = {}, name = 'all'): LinuxCall => ({
    name,
    op: 'list_linux_subscription_instances',
    params: { MaxResults: 5, ...params },
    pages: true,
  });
  const listIds = async (account = owner) =>
    ((await boto3Linux(system, account, [all()])).all.items ?? []).map((i) => i.InstanceID as string).sort();

  const standin = new RedHatStandin();
  /** The service's events as NATS carries them (lm.<namespace>.events.linux-subscriptions.*). */
  const published: { type: string; data: Record<string, any> }[] = [];
  let nc: NatsConnection;
  const publishedFor = (instanceId: string, type: string) =>
    published.filter((event) => event.type === type && event.data.instanceId === instanceId);

  beforeAll(async () => {
    await standin.start();
    system = await startSystem({
      LM_LINUX_INSTANCE_LIMIT: String(LIMIT),
      LM_LINUX_INSTANCE_SWEEP_MS: '1000',
      LM_REDHAT_SSO_URL: standin.ssoUrl,
      LM_REDHAT_API_URL: standin.apiUrl,
      LM_REDHAT_RETRIEVAL_MS: '1000',
    });
    nc = await connect({ servers: process.env.NATS_URL });
    const codec = JSONCodec<{ type: string; data: Record<string, any> }>();
    const subscription = nc.subscribe(`lm.${system.natsNamespace}.events.linux-subscriptions.*`);
    void (async () => {
      for await (const message of subscription) published.push(codec.decode(message.data));
    })();
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
    await standin.stop();
  });

  it('classifies a fleet covering every row of the guide, within seconds of its report', async () => {
    expect((await enableLinuxDiscovery(system, owner, [region, 'us-west-2'])).stderr).toBe('');
    const reportedAt = Date.now();
    await reportResources(system, [...listed, ...notCommercial]);
    const seen = await eventually(listIds, (found) => found.length >= listed.length);
    expect(Date.now() - reportedAt).toBeLessThan(10_000);
    expect(seen).toEqual(listed.map((r) => r.resourceId).sort());

    const out = await boto3Linux(system, owner, [
      all(),
      { name: 'subscriptions', op: 'list_linux_subscriptions', params: { MaxResults: 4 }, pages: true },
    ]);
    const byId = new Map(out.all.items!.map((i) => [i.InstanceID, i]));
    expect(out.all.pages).toBe(Math.ceil(listed.length / 5));
    FLEET.forEach((row, i) => {
      expect(byId.get(ids[i])).toMatchObject({
        AccountID: owner.accountId,
        Region: region,
        InstanceID: ids[i],
        InstanceType: 'm5.large',
        AmiId: 'ami-0abcdef1234567890',
        Status: 'running',
        SubscriptionName: row.name,
        OsVersion: '9.4',
        UsageOperation: row.billing.usageOperation ?? 'RunInstances',
        ProductCode: row.billing.productCodes ? ['mkt0e2e0linux0code'] : [],
        DualSubscription: 'false',
        RegisteredWithSubscriptionProvider: 'false',
      });
      expect(Date.parse(byId.get(ids[i])!.LastUpdatedTime)).toBeGreaterThan(reportedAt - 60_000);
    });
    // RHEL 7 ELS is always a dual subscription (the guide: expected, it must be registered with Red Hat too).
    expect(byId.get(els.resourceId)).toMatchObject({
      SubscriptionName: 'Red Hat Enterprise Linux Server',
      DualSubscription: 'true',
      OsVersion: '7.9 ELS',
    });
    expect(byId.get(stopped.resourceId)).toMatchObject({ Status: 'stopped' });

    // Subscriptions with their types and running instances: RHEL Server has three instances, one stopped.
    const subscriptions = Object.fromEntries(out.subscriptions.items!.map((s) => [s.Name, s]));
    expect(Object.keys(subscriptions).sort()).toEqual(FLEET.map((row) => row.name).sort());
    for (const row of FLEET) expect(subscriptions[row.name].Type).toBe(row.type);
    expect(subscriptions['Red Hat Enterprise Linux Server'].InstanceCount).toBe(2);
    // Each classification is an event on NATS.
    await eventually(
      async () => listed.filter((r) => publishedFor(r.resourceId, 'LinuxInstanceSubscriptionClassified').length > 0),
      (found) => found.length === listed.length,
    );
    for (const r of listed) expect(publishedFor(r.resourceId, 'LinuxInstanceSubscriptionClassified')).toHaveLength(1);
    expect(publishedFor(notCommercial[0].resourceId, 'LinuxInstanceSubscriptionClassified')).toEqual([]);
    expect(subscriptions['Ubuntu Pro'].InstanceCount).toBe(1);
    expect(out.subscriptions.pages).toBe(Math.ceil(FLEET.length / 4));
  });

  it('filters by every name of the model with Equal, NotEqual and Contains, and refuses bad input', async () => {
    const f = (Name: string, Operator: string, ...Values: string[]) => [{ Name, Operator, Values }];
    const calls: LinuxCall[] = [
      all({ Filters: f('AccountID', 'Equal', owner.accountId) }, 'account'),
      all({ Filters: f('AmiID', 'NotEqual', 'ami-0abcdef1234567890') }, 'ami'),
      all({ Filters: f('DualSubscription', 'Equal', 'true') }, 'dual'),
      all({ Filters: f('InstanceID', 'Equal', ids[0], ids[1]) }, 'instances'),
      all({ Filters: f('InstanceType', 'Contains', 'm5.') }, 'type'),
      all({ Filters: f('ProductCode', 'Equal', 'mkt0e2e0linux0code') }, 'code'),
      all({ Filters: f('Region', 'Contains', 'us-east') }, 'region'),
      all({ Filters: f('Status', 'NotEqual', 'running') }, 'status'),
      all({ Filters: f('UsageOperation', 'Equal', 'RunInstances:0010') }, 'usage'),
      all({ Filters: [...f('UsageOperation', 'Contains', ':00'), ...f('Status', 'Equal', 'running')] }, 'both'),
      {
        name: 'subscription',
        op: 'list_linux_subscriptions',
        params: { Filters: f('Subscription', 'Contains', 'SUSE') },
        pages: true,
      },
      {
        name: 'not_suse',
        op: 'list_linux_subscriptions',
        params: { Filters: f('Subscription', 'NotEqual', 'Ubuntu Pro') },
        pages: true,
      },
      all({ Filters: f('Color', 'Equal', 'red') }, 'bad_name'),
      all({ Filters: f('Region', 'Like', 'us') }, 'bad_operator'),
      all({ Filters: [{ Name: 'Region', Operator: 'Equal', Values: [] }] }, 'no_values'),
      { name: 'bad_token', op: 'list_linux_subscription_instances', params: { NextToken: 'not-a-token' } },
      { name: 'bad_max', op: 'list_linux_subscription_instances', params: { MaxResults: 0 } },
      {
        name: 'bad_subscription_filter',
        op: 'list_linux_subscriptions',
        params: { Filters: f('Region', 'Equal', 'x') },
      },
      { name: 'bad_subscription_token', op: 'list_linux_subscriptions', params: { NextToken: 'eyJ4IjoxfQ' } },
    ];
    const out = await boto3Linux(system, owner, calls);
    const idsOf = (name: string) => out[name].items!.map((i) => i.InstanceID as string).sort();
    const sorted = (instances: ObservedResource[]) => instances.map((r) => r.resourceId).sort();
    expect(idsOf('account')).toEqual(sorted(listed));
    expect(idsOf('ami')).toEqual([]);
    expect(idsOf('dual')).toEqual([els.resourceId]);
    expect(idsOf('instances')).toEqual([ids[0], ids[1]].sort());
    expect(idsOf('type')).toEqual(sorted(listed));
    expect(idsOf('code')).toEqual(sorted(listed.filter((r) => r.productCodes)));
    expect(idsOf('region')).toEqual(sorted(listed));
    expect(idsOf('status')).toEqual([stopped.resourceId]);
    expect(idsOf('usage')).toEqual(sorted(listed.filter((r) => r.usageOperation === 'RunInstances:0010')));
    expect(idsOf('both')).toEqual(
      sorted(listed.filter((r) => r.usageOperation?.includes(':00') && r.state === 'running')),
    );
    expect(out.subscription.items!.map((s) => s.Name).sort()).toEqual([
      'SUSE Linux Enterprise Server',
      'SUSE Linux Enterprise Server with SAP',
    ]);
    expect(out.not_suse.items!.map((s) => s.Name)).not.toContain('Ubuntu Pro');
    expect(out.not_suse.items).toHaveLength(FLEET.length - 1);
    for (const name of [
      'bad_name',
      'bad_operator',
      'no_values',
      'bad_token',
      'bad_max',
      'bad_subscription_filter',
      'bad_subscription_token',
    ])
      expect(out[name].error, name).toEqual({ Code: 'ValidationException', Status: 400, Message: expect.any(String) });
  });

  it('answers the AWS CLI, with a filter', async () => {
    const ls = (...args: string[]) => awsCli(system, owner, ['license-manager-linux-subscriptions', ...args]);
    const instances = await ls(
      'list-linux-subscription-instances',
      '--filters',
      'Name=UsageOperation,Operator=Equal,Values=RunInstances:0g00',
    );
    expect(instances.stderr).toBe('');
    expect(instances.json.Instances.map((i: { SubscriptionName: string }) => i.SubscriptionName)).toEqual([
      'Ubuntu Pro',
    ]);
    const subscriptions = await ls('list-linux-subscriptions');
    expect(subscriptions.stderr).toBe('');
    expect(subscriptions.json.Subscriptions).toHaveLength(FLEET.length);
    const refused = await ls('list-linux-subscription-instances', '--filters', 'Name=Colour,Operator=Equal,Values=red');
    expect(refused.stderr).toMatch(/ValidationException/);
  });

  it('discovers at most the limit per account and Region, and the Region status message says so', async () => {
    const west = Array.from({ length: LIMIT + 3 }, () =>
      linuxInstance(owner.accountId, 'us-west-2', instanceId('e2'), { usageOperation: 'RunInstances:000g' }),
    );
    await reportResources(system, west);
    const regionFilter = [{ Name: 'Region', Operator: 'Equal', Values: ['us-west-2'] }];
    const found = await eventually(
      async () => (await boto3Linux(system, owner, [all({ Filters: regionFilter })])).all.items ?? [],
      (items) => items.length >= LIMIT,
    );
    // The others stay out, however long one waits (the sweep runs every second).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await boto3Linux(system, owner, [all({ Filters: regionFilter })])).all.items).toHaveLength(LIMIT);
    expect(found).toHaveLength(LIMIT);
    const settings = await awsCli(system, owner, ['license-manager-linux-subscriptions', 'get-service-settings']);
    expect(settings.json.StatusMessage['us-west-2']).toMatch(
      /Resource limit exceeded - 20 resources per account per Region discovered, 3 more not discovered/,
    );
    expect(settings.json.StatusMessage[region]).not.toMatch(/limit/);
  });

  it('shows the management account its organization’s instances with organization integration, a member nothing of others', async () => {
    const management = accounts.management;
    const nested = accounts.nestedMember;
    const own = linuxInstance(management.accountId, region, instanceId('e3'), { usageOperation: 'RunInstances:0010' });
    const nestedOne = linuxInstance(nested.accountId, region, instanceId('e3'), {
      usageOperation: 'RunInstances:000g',
    });
    const outsiders = linuxInstance(accounts.outsider.accountId, region, instanceId('e3'), {
      usageOperation: 'RunInstances:0010',
    });
    await reportResources(system, [own, nestedOne, outsiders]);
    // License Manager's settings link the organization, then Linux subscriptions discovery covers it (us-east-1 only).
    await licenseManager(system, management).send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }),
    );
    // Until Linux subscriptions has heard of that link, an update onboards the account alone: the helper updates again.
    const onboarded = await enableOrganizationDiscovery(system, management, [region]);
    expect(onboarded.StatusMessage[region]).toContain('Org-Onboard: Successful');
    const expected = [...listed.map((r) => r.resourceId), own.resourceId, nestedOne.resourceId].sort();
    const seen = await eventually(
      () => listIds(management),
      (found) => found.length >= expected.length,
    );
    // The member's us-west-2 instances are outside the management account's source Regions; the outsider's outside the organization.
    expect(seen).toEqual(expected);
    // The member sees its own (both Regions), nothing of the management account's or the nested member's.
    const memberSees = await listIds(owner);
    expect(memberSees).not.toContain(own.resourceId);
    expect(memberSees).not.toContain(nestedOne.resourceId);
    expect(memberSees).toHaveLength(listed.length + LIMIT);
    // The outsider has no discovery of its own: nothing.
    expect(await listIds(accounts.outsider)).toEqual([]);
  });

  it('removes an account’s discovered data when its discovery is disabled, and derives it again at once when enabled', async () => {
    const cli = (...args: string[]) =>
      awsCli(system, accounts.outsider, ['license-manager-linux-subscriptions', ...args]);
    expect((await enableLinuxDiscovery(system, accounts.outsider, [region])).stderr).toBe('');
    const mine = await eventually(
      () => listIds(accounts.outsider),
      (found) => found.length === 1,
    );
    expect(mine).toHaveLength(1);
    const disabled = await cli(
      'update-service-settings',
      '--linux-subscriptions-discovery',
      'Disabled',
      '--linux-subscriptions-discovery-settings',
      JSON.stringify({ SourceRegions: [region], OrganizationIntegration: 'Disabled' }),
      '--allow-update',
    );
    expect(disabled.stderr).toBe('');
    expect(
      await eventually(
        () => listIds(accounts.outsider),
        (found) => found.length === 0,
      ),
    ).toEqual([]);
    expect((await enableLinuxDiscovery(system, accounts.outsider, [region])).stderr).toBe('');
    expect(
      await eventually(
        () => listIds(accounts.outsider),
        (found) => found.length === 1,
      ),
    ).toEqual(mine);
  });

  it('flags a billed RHEL instance registered with Red Hat Subscription Manager as a dual subscription, not BYOS; deregistration clears it', async () => {
    const [byos, server] = [ids[0], ids[1]];
    const token = standin.addAccount({
      subscriptions: [
        {
          subscriptionNumber: '10001234',
          subscriptionName: 'Red Hat Enterprise Linux Server',
          sku: 'RH00003',
          quantity: 10,
          status: 'Active',
        },
      ],
      systems: [byos, server, els.resourceId].map((id, i) => ({
        uuid: `4f0e3a4c-0000-4000-8000-00000000000${i}`,
        name: `rhel-${i}`,
        facts: { aws_instance_id: id },
      })),
    });
    const call = (service: string, path: string, headers: Record<string, string>, input: object) =>
      rawRequest(system, { account: owner, service, path, headers, body: JSON.stringify(input) });
    const secret = await call(
      'secretsmanager',
      '/',
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.CreateSecret' },
      {
        Name: 'rhsm-offline-token',
        SecretString: token,
        Tags: [{ Key: 'LicenseManagerLinuxSubscriptions', Value: 'enabled' }],
      },
    );
    expect(secret.status, secret.text).toBe(200);
    const json = { 'content-type': 'application/json' };
    const registered = await call(
      'license-manager-linux-subscriptions',
      '/subscription/RegisterSubscriptionProvider',
      json,
      {
        SecretArn: secret.json.ARN,
        SubscriptionProviderSource: 'RedHat',
      },
    );
    expect(registered.status, registered.text).toBe(200);
    const providerArn = registered.json.SubscriptionProviderArn as string;

    const byId = async () =>
      new Map(
        (((await boto3Linux(system, owner, [all()])).all.items ?? []) as Record<string, string>[]).map((i) => [
          i.InstanceID,
          i,
        ]),
      );
    let instances = await eventually(byId, (found) => found.get(server)?.RegisteredWithSubscriptionProvider === 'true');
    expect(instances.get(server)).toMatchObject({
      RegisteredWithSubscriptionProvider: 'true',
      DualSubscription: 'true',
    });
    expect(Date.parse(instances.get(server)!.SubscriptionProviderCreateTime)).not.toBeNaN();
    expect(Date.parse(instances.get(server)!.SubscriptionProviderUpdateTime)).toBeGreaterThanOrEqual(
      Date.parse(instances.get(server)!.SubscriptionProviderCreateTime),
    );
    // BYOS registered with Red Hat is the one subscription it has; RHEL 7 ELS stays flagged.
    expect(instances.get(byos)).toMatchObject({
      RegisteredWithSubscriptionProvider: 'true',
      DualSubscription: 'false',
    });
    expect(instances.get(els.resourceId)).toMatchObject({
      RegisteredWithSubscriptionProvider: 'true',
      DualSubscription: 'true',
    });
    expect(instances.get(ids[2])).toMatchObject({
      RegisteredWithSubscriptionProvider: 'false',
      DualSubscription: 'false',
    });
    const dual = await boto3Linux(system, owner, [
      all({ Filters: [{ Name: 'DualSubscription', Operator: 'Equal', Values: ['true'] }] }),
    ]);
    expect(dual.all.items!.map((i) => i.InstanceID).sort()).toEqual([server, els.resourceId].sort());

    const deregistered = await call(
      'license-manager-linux-subscriptions',
      '/subscription/DeregisterSubscriptionProvider',
      json,
      {
        SubscriptionProviderArn: providerArn,
      },
    );
    expect(deregistered.status, deregistered.text).toBe(200);
    instances = await eventually(byId, (found) => found.get(server)?.RegisteredWithSubscriptionProvider === 'false');
    expect(instances.get(server)).toMatchObject({
      RegisteredWithSubscriptionProvider: 'false',
      DualSubscription: 'false',
    });
    expect(instances.get(server)!.SubscriptionProviderCreateTime).toBeUndefined();
    expect(instances.get(els.resourceId)).toMatchObject({
      RegisteredWithSubscriptionProvider: 'false',
      DualSubscription: 'true',
    });
    // Each change of the dual subscription flag and of the registration is an event on NATS.
    await eventually(
      async () => publishedFor(server, 'LinuxInstanceDualSubscriptionChanged'),
      (events) => events.length >= 2,
    );
    expect(
      publishedFor(server, 'LinuxInstanceDualSubscriptionChanged').map((event) => event.data.dualSubscription),
    ).toEqual([true, false]);
    const registrations = publishedFor(server, 'LinuxInstanceProviderRegistrationChanged');
    expect(registrations[0].data.providerRegistration.subscriptionProviderArn).toBe(providerArn);
    expect(registrations.at(-1)!.data.providerRegistration).toBeUndefined();
  });
});
