import { randomUUID } from 'node:crypto';
import {
  ListResourceInventoryCommand,
  UpdateServiceSettingsCommand,
  type InventoryFilter,
} from '@aws-sdk/client-license-manager';
import type { DomainEventMessage } from '@lm/contracts';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager, rawRequest } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

type Account = (typeof accounts)[keyof typeof accounts];

/** The member account's inventory: something for every filter to find, and to leave out. */
const MEMBER_RESOURCES = [
  {
    ResourceId: 'i-win1',
    ResourceType: 'EC2_INSTANCE',
    State: 'running',
    Platform: 'Windows Server 2019 Datacenter',
    Applications: [{ Name: 'SQL Server Enterprise', Version: '2019', Publisher: 'Microsoft' }],
    LicenseIncluded: ['sql-server-enterprise', 'windows-server-datacenter'],
    Tags: [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'data' },
    ],
  },
  {
    ResourceId: 'i-win2',
    ResourceType: 'EC2_INSTANCE',
    State: 'stopped',
    Platform: 'Windows Server 2022 Standard',
    Applications: [{ Name: 'SQL Server Web' }],
    LicenseIncluded: ['sql-server-web'],
    Tags: [{ Key: 'env', Value: 'dev' }],
  },
  {
    ResourceId: 'i-linux',
    ResourceType: 'EC2_INSTANCE',
    State: 'running',
    Platform: 'Linux/UNIX',
    Applications: [{ Name: 'Oracle Database 19c' }, { Name: 'PostgreSQL' }],
    Tags: [{ Key: 'team', Value: 'data' }],
  },
  { ResourceId: 'h-0host', ResourceType: 'EC2_HOST', State: 'available' },
  { ResourceId: 'ami-0image', ResourceType: 'EC2_AMI', State: 'available', Platform: 'Windows' },
  { ResourceId: 'db-orcl', ResourceType: 'RDS', State: 'running', Platform: 'oracle-ee' },
  {
    ResourceId: 'mi-0onprem',
    ResourceType: 'SYSTEMS_MANAGER_MANAGED_INSTANCE',
    State: 'running',
    Platform: 'Ubuntu',
    Applications: [{ Name: 'SQL Server Standard' }],
  },
];
const ALL = MEMBER_RESOURCES.map((r) => r.ResourceId).sort();
const except = (...ids: string[]) => ALL.filter((id) => !ids.includes(id));

describe('inventory search (ListResourceInventory)', () => {
  let system: RunningSystem;
  let nc: NatsConnection;

  const report = (account: Account, resources: object[]) =>
    rawRequest(system, {
      account,
      method: 'POST',
      path: '/inventory/ReportResources',
      service: 'license-manager',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Resources: resources }),
    });
  const list = (account: Account, input: ConstructorParameters<typeof ListResourceInventoryCommand>[0] = {}) =>
    licenseManager(system, account).send(new ListResourceInventoryCommand(input));
  /** Every page's resource ids. */
  const idsOf = async (account: Account, Filters?: InventoryFilter[]) => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await list(account, { Filters, NextToken });
      ids.push(...(page.ResourceInventoryList ?? []).map((r) => r.ResourceId!));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids.sort();
  };
  const filtered = (Name: string, Condition: string, Value?: string) =>
    idsOf(accounts.member, [{ Name, Condition: Condition as never, Value }]);

  /** What licensing's UpdateServiceSettings publishes, as the discovery service receives it from JetStream. */
  const settingsVersions = new Map<string, number>();
  const publishServiceSettings = async (data: { accountId: string } & Record<string, unknown>) => {
    const streamVersion = (settingsVersions.get(data.accountId) ?? 0) + 1;
    settingsVersions.set(data.accountId, streamVersion);
    const message: DomainEventMessage = {
      service: 'licensing',
      eventId: randomUUID(),
      streamName: `service-settings-${data.accountId}`,
      streamVersion,
      type: 'ServiceSettingsUpdated',
      data,
      recordedAt: new Date().toISOString(),
    };
    await nc
      .jetstream()
      .publish(`lm.${system.natsNamespace}.events.licensing.ServiceSettingsUpdated`, JSONCodec().encode(message), {
        msgID: message.eventId,
      });
  };
  const eventually = async (condition: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met within 10 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    system = await startSystem();
    nc = await connect({ servers: process.env.NATS_URL });
    expect((await report(accounts.member, MEMBER_RESOURCES)).json).toEqual({
      Accepted: MEMBER_RESOURCES.length,
      Failed: [],
    });
    expect(
      (
        await report(accounts.management, [
          {
            ResourceId: 'i-mgmt',
            ResourceType: 'EC2_INSTANCE',
            State: 'running',
            Tags: [{ Key: 'env', Value: 'prod' }],
          },
        ])
      ).status,
    ).toBe(200);
    expect(
      (
        await report(accounts.nestedMember, [
          {
            ResourceId: 'i-nested',
            ResourceType: 'EC2_INSTANCE',
            State: 'running',
            Tags: [{ Key: 'env', Value: 'test' }],
          },
        ])
      ).status,
    ).toBe(200);
    expect(
      (await report(accounts.outsider, [{ ResourceId: 'i-outsider', ResourceType: 'EC2_INSTANCE', State: 'running' }]))
        .status,
    ).toBe(200);
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  it('lists an account’s own resources, and nobody else’s', async () => {
    expect(await idsOf(accounts.member)).toEqual(ALL);
    expect(await idsOf(accounts.outsider)).toEqual(['i-outsider']);
    expect(await idsOf(accounts.nestedMember)).toEqual(['i-nested']);
    expect(await idsOf(accounts.management)).toEqual(['i-mgmt']);
  });

  it.each([
    ['resource_id', 'EQUALS', 'i-win1', ['i-win1']],
    ['resource_id', 'NOT_EQUALS', 'i-win1', except('i-win1')],
    ['account_id', 'EQUALS', '222222222222', ALL],
    ['account_id', 'NOT_EQUALS', '222222222222', []],
    ['account_id', 'EQUALS', '111111111111', []],
    ['platform', 'EQUALS', 'Linux/UNIX', ['i-linux']],
    ['platform', 'NOT_EQUALS', 'Linux/UNIX', except('i-linux')],
    ['platform', 'BEGINS_WITH', 'Windows', ['ami-0image', 'i-win1', 'i-win2']],
    ['platform', 'CONTAINS', 'Server', ['i-win1', 'i-win2']],
    ['application_name', 'EQUALS', 'PostgreSQL', ['i-linux']],
    ['application_name', 'BEGINS_WITH', 'SQL Server', ['i-win1', 'i-win2', 'mi-0onprem']],
    ['license_included', 'EQUALS', 'windows-server-datacenter', ['i-win1']],
    ['license_included', 'NOT_EQUALS', 'sql-server-web', except('i-win2')],
    ['tag:env', 'EQUALS', 'prod', ['i-win1']],
    ['tag:team', 'EQUALS', undefined, ['i-linux', 'i-win1']],
  ] as const)('%s %s %s', async (name, condition, value, expected) => {
    expect(await filtered(name, condition, value)).toEqual([...expected].sort());
  });

  it('applies every filter given', async () => {
    expect(
      await idsOf(accounts.member, [
        { Name: 'platform', Condition: 'BEGINS_WITH', Value: 'Windows' },
        { Name: 'tag:env', Condition: 'EQUALS', Value: 'dev' },
      ]),
    ).toEqual(['i-win2']);
    expect(
      await idsOf(accounts.member, [
        { Name: 'application_name', Condition: 'BEGINS_WITH', Value: 'SQL Server' },
        { Name: 'resource_id', Condition: 'NOT_EQUALS', Value: 'mi-0onprem' },
        { Name: 'license_included', Condition: 'NOT_EQUALS', Value: 'sql-server-enterprise' },
      ]),
    ).toEqual(['i-win2']);
  });

  it.each([
    [
      'an unknown filter name',
      [{ Name: 'engine_edition', Condition: 'EQUALS', Value: 'oracle-ee' }],
      'InvalidParameterValueException',
      /not supported/,
    ],
    [
      'a condition the filter does not take',
      [{ Name: 'application_name', Condition: 'CONTAINS', Value: 'SQL' }],
      'InvalidParameterValueException',
      /EQUALS or BEGINS_WITH/,
    ],
    [
      'NOT_EQUALS on a tag without cross-account discovery',
      [{ Name: 'tag:env', Condition: 'NOT_EQUALS', Value: 'prod' }],
      'InvalidParameterValueException',
      /cross-account/,
    ],
    [
      'a license type the API does not define',
      [{ Name: 'license_included', Condition: 'EQUALS', Value: 'oracle' }],
      'InvalidParameterValueException',
      /sql-server-web/,
    ],
    [
      'a filter without a value',
      [{ Name: 'platform', Condition: 'EQUALS' }],
      'InvalidParameterValueException',
      /needs a value/,
    ],
    [
      'more than 10 filters',
      Array.from({ length: 11 }, () => ({ Name: 'platform', Condition: 'CONTAINS', Value: 'n' })),
      'FilterLimitExceededException',
      /At most 10/,
    ],
  ] as const)('refuses %s', async (_name, Filters, error, message) => {
    await expect(list(accounts.member, { Filters: Filters as InventoryFilter[] })).rejects.toMatchObject({
      name: error,
      message: expect.stringMatching(message),
    });
  });

  it('pages with MaxResults and NextToken, each resource once', async () => {
    const pages: string[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await list(accounts.member, { MaxResults: 3, NextToken });
      pages.push(page.ResourceInventoryList!.map((r) => r.ResourceId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().sort()).toEqual(ALL);

    const filteredPage = await list(accounts.member, {
      MaxResults: 2,
      Filters: [{ Name: 'platform', Condition: 'BEGINS_WITH', Value: 'Windows' }],
    });
    expect(filteredPage.ResourceInventoryList).toHaveLength(2);
    const rest = await list(accounts.member, {
      MaxResults: 2,
      NextToken: filteredPage.NextToken,
      Filters: [{ Name: 'platform', Condition: 'BEGINS_WITH', Value: 'Windows' }],
    });
    expect(rest.NextToken).toBeUndefined();
    expect(
      [...filteredPage.ResourceInventoryList!, ...rest.ResourceInventoryList!].map((r) => r.ResourceId).sort(),
    ).toEqual(['ami-0image', 'i-win1', 'i-win2']);

    const first = await list(accounts.member, { MaxResults: 1 });
    await expect(list(accounts.outsider, { NextToken: first.NextToken })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/NextToken/),
    });
  });

  it('answers the AWS CLI', async () => {
    const result = await awsCli(system, accounts.member, [
      'license-manager',
      'list-resource-inventory',
      '--filters',
      'Name=platform,Condition=BEGINS_WITH,Value=Windows',
    ]);
    expect(result.stderr).toBe('');
    expect(result.json.ResourceInventoryList.map((r: { ResourceId: string }) => r.ResourceId).sort()).toEqual([
      'ami-0image',
      'i-win1',
      'i-win2',
    ]);
    expect(result.json.ResourceInventoryList.find((r: { ResourceId: string }) => r.ResourceId === 'i-win1')).toEqual({
      ResourceId: 'i-win1',
      ResourceType: 'EC2_INSTANCE',
      ResourceArn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-win1',
      Platform: 'Windows Server 2019 Datacenter',
      ResourceOwningAccountId: '222222222222',
      Region: 'us-east-1',
    });
  });

  it('shows the management account its organization’s resources once it enables cross-account discovery', async () => {
    const organization = [...ALL, 'i-mgmt', 'i-nested'].sort();
    // Through licensing's API, whose event reaches discovery as in production.
    await licenseManager(system, accounts.management).send(
      new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true }),
    );
    await eventually(async () => (await idsOf(accounts.management)).length > 1);
    expect(await idsOf(accounts.management)).toEqual(organization);
    expect(
      await idsOf(accounts.management, [{ Name: 'account_id', Condition: 'EQUALS', Value: '444444444444' }]),
    ).toEqual(['i-nested']);
    expect(
      await idsOf(accounts.management, [{ Name: 'account_id', Condition: 'NOT_EQUALS', Value: '222222222222' }]),
    ).toEqual(['i-mgmt', 'i-nested']);
    // NOT_EQUALS on a tag is for the cross-account view; resources without the tag differ from the value too.
    expect(await idsOf(accounts.management, [{ Name: 'tag:env', Condition: 'NOT_EQUALS', Value: 'prod' }])).toEqual(
      organization.filter((id) => !['i-win1', 'i-mgmt'].includes(id)),
    );
    expect(await idsOf(accounts.management, [{ Name: 'tag:env', Condition: 'NOT_EQUALS' }])).toEqual(
      organization.filter((id) => !['i-win1', 'i-win2', 'i-mgmt', 'i-nested'].includes(id)),
    );
  });

  it('widens nothing for a member’s settings event, applying the settings events in order (discovery’s consumer)', async () => {
    // Events licensing never publishes (a member cannot enable cross-account discovery, and it cannot
    // be turned off), published by hand: what discovery's consumer makes of them. Events are applied
    // in order, so once the management account's later change shows, the member's has been applied too.
    await publishServiceSettings({
      accountId: '222222222222',
      organizationId: 'o-lmdev00001',
      enableCrossAccountsDiscovery: true,
      organizationIntegration: true,
    });
    await publishServiceSettings({
      accountId: '111111111111',
      organizationId: 'o-lmdev00001',
      enableCrossAccountsDiscovery: false,
      organizationIntegration: true,
    });
    await eventually(async () => (await idsOf(accounts.management)).length === 1);
    expect(await idsOf(accounts.management)).toEqual(['i-mgmt']);
    expect(await idsOf(accounts.member)).toEqual(ALL);
    expect(await idsOf(accounts.nestedMember)).toEqual(['i-nested']);
  });
});
