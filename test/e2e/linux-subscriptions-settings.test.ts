import { join } from 'node:path';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script } from '../support/clients';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';

const SCRIPT = join(__dirname, 'linux-subscriptions-settings-boto3.py');
const validation = { Code: 'ValidationException', Status: 400 };
const notFound = { Code: 'ResourceNotFoundException', Status: 400 };
type Account = (typeof accounts)[keyof typeof accounts];

/** The keys of other accounts, as the boto3 script takes them. */
const keysOf = (...others: Account[]) =>
  others.map((account) => {
    const { accessKeyId, secretAccessKey } = credentialsOf(account);
    return `${accessKeyId}:${secretAccessKey}`;
  });

/**
 * Linux subscriptions settings (GetServiceSettings, UpdateServiceSettings) and tags through the
 * AWS CLI and boto3, unchanged, against the whole system: each Region's status messages in the
 * guide's words through the settings' life cycle, organization integration for the management
 * account only, bad input answered with the model's errors and nothing stored.
 */
describe('Linux subscriptions settings and tags through the AWS CLI and boto3', () => {
  let system: RunningSystem;
  let nc: NatsConnection;
  let events: Subscription;
  const published: { type: string; data: { accountId: string } }[] = [];
  const scenario = async (account: Account, name: string, others: Account[] = []) =>
    JSON.parse(await boto3Script(system, account, SCRIPT, [name, ...keysOf(...others)]));

  beforeAll(async () => {
    // No Red Hat here: the providers' retrievals fail at once instead of waiting on the network.
    system = await startSystem({
      LM_REDHAT_SSO_URL: 'http://127.0.0.1:9/token',
      LM_REDHAT_API_URL: 'http://127.0.0.1:9/api',
    });
    nc = await connect({ servers: process.env.NATS_URL });
    events = nc.subscribe(`lm.${system.natsNamespace}.events.linux-subscriptions.*`);
    const codec = JSONCodec<{ type: string; data: { accountId: string } }>();
    void (async () => {
      for await (const message of events) published.push(codec.decode(message.data));
    })();
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  it('answers bad input with ValidationException and stores nothing (boto3, its validation off)', async () => {
    const observed = await scenario(accounts.management, 'bad-input');
    expect(observed).toEqual({
      no_settings: validation,
      no_discovery: validation,
      no_region: validation,
      not_a_region: validation,
      too_many_regions: validation,
      bad_toggle: validation,
      bad_integration: validation,
      bad_allow_update: validation,
      disable_bad_region: validation,
      after: {
        LinuxSubscriptionsDiscovery: 'Disabled',
        LinuxSubscriptionsDiscoverySettings: null,
        HomeRegions: null,
        Status: 'Completed',
        StatusMessage: {},
      },
    });
  }, 120_000);

  it('enables and reads the settings through the AWS CLI', async () => {
    const cli = (...args: string[]) =>
      awsCli(system, accounts.nestedMember, ['license-manager-linux-subscriptions', ...args]);
    expect((await cli('get-service-settings')).json).toEqual({
      LinuxSubscriptionsDiscovery: 'Disabled',
      Status: 'Completed',
      StatusMessage: {},
    });
    const updated = await cli(
      'update-service-settings',
      '--linux-subscriptions-discovery',
      'Enabled',
      '--linux-subscriptions-discovery-settings',
      'OrganizationIntegration=Disabled,SourceRegions=us-east-1',
    );
    expect(updated.stderr).toBe('');
    expect(updated.json).toMatchObject({
      HomeRegions: [system.region],
      LinuxSubscriptionsDiscovery: 'Enabled',
      LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: ['us-east-1'] },
    });
    expect(updated.json.StatusMessage['us-east-1']).toMatch(/^Account-Onboard: (Pending|Successful)$/);
    const deadline = Date.now() + 30_000;
    let settings = (await cli('get-service-settings')).json;
    while (settings.Status === 'InProgress' && Date.now() < deadline)
      settings = (await cli('get-service-settings')).json;
    expect(settings).toMatchObject({
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Onboard: Successful' },
    });
    const bad = await cli(
      'update-service-settings',
      '--linux-subscriptions-discovery',
      'Enabled',
      '--linux-subscriptions-discovery-settings',
      'OrganizationIntegration=Disabled,SourceRegions=nowhere',
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/\(ValidationException\).*nowhere/);
  }, 120_000);

  it('goes through the life cycle with the status messages of each Region, each change an event (boto3)', async () => {
    const observed = await scenario(accounts.outsider, 'life-cycle');
    const settingsOf = (regions: string[], discovery = 'Enabled') => ({
      LinuxSubscriptionsDiscovery: discovery,
      LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: regions },
      HomeRegions: [system.region],
    });
    expect(observed.fresh).toMatchObject({ LinuxSubscriptionsDiscovery: 'Disabled', Status: 'Completed' });
    expect(['Account-Onboard: Pending', 'Account-Onboard: Successful']).toEqual(
      expect.arrayContaining(observed.enable_answer_messages),
    );
    const enabled = {
      ...settingsOf(['us-east-1', 'eu-west-1']),
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Onboard: Successful', 'eu-west-1': 'Account-Onboard: Successful' },
    };
    expect(observed.enabled).toEqual(enabled);
    // The same Regions again (in another order) change nothing, even without AllowUpdate.
    expect(observed.again_without_allow_update).toMatchObject({ Status: 'Successful' });
    expect(observed.change_without_allow_update).toEqual(validation);
    expect(observed.after_refusal).toEqual(observed.again_without_allow_update);
    expect(observed.moved).toEqual({
      ...settingsOf(['us-east-1', 'ap-south-1']),
      Status: 'Successful',
      StatusMessage: {
        'us-east-1': 'Account-Onboard: Successful',
        'eu-west-1': 'Account-Offboard: Successful',
        'ap-south-1': 'Account-Onboard: Successful',
      },
    });
    expect(observed.disabled).toEqual({
      ...settingsOf(['us-east-1', 'ap-south-1'], 'Disabled'),
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Offboard: Successful', 'ap-south-1': 'Account-Offboard: Successful' },
    });
    const mine = () => published.filter((event) => event.data.accountId === accounts.outsider.accountId);
    const deadline = Date.now() + 10_000;
    while (mine().length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mine().map((event) => event.type)).toEqual([
      'DiscoverySettingsUpdated',
      'DiscoveryStepsSucceeded',
      'DiscoverySettingsUpdated',
      'DiscoveryStepsSucceeded',
      'DiscoverySettingsUpdated',
      'DiscoveryStepsSucceeded',
    ]);
  }, 120_000);

  it("integrates the organization for its management account while licensing links it, and refuses others with the guide's reasons", async () => {
    const observed = await scenario(accounts.management, 'organization', [accounts.member, accounts.outsider]);
    const failedWith = (reason: string) => ({
      Status: 'Failed',
      StatusMessage: { 'us-east-1': `Account-Onboard: Successful; Org-Onboard: Failed - ${reason}` },
      LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Enabled', SourceRegions: ['us-east-1'] },
    });
    expect(observed.member).toMatchObject(failedWith("Account isn't the management account"));
    expect(observed.outsider).toMatchObject(failedWith("Account isn't part of an organization"));
    expect(observed.management_not_linked).toMatchObject(
      failedWith("Linux subscriptions can't access the organization"),
    );
    expect(observed.management_linked).toMatchObject({
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Org-Onboard: Successful' },
    });
    // Another account sees its own settings only.
    expect(observed.member_after).toEqual(observed.member);
    expect(observed.management_back_to_account).toMatchObject({
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Onboard: Successful; Org-Offboard: Successful' },
      LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: ['us-east-1'] },
    });
    expect(observed.management_organization_again).toMatchObject({
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Org-Onboard: Successful' },
    });
    // Unlinked in licensing's settings: back to the account alone, saying why.
    expect(observed.management_unlinked).toMatchObject(failedWith("Linux subscriptions can't access the organization"));
  }, 120_000);

  it("tags a subscription provider's ARN (lower-case resourceArn, tags, tagKeys), another account's not found; discovery is disabled only once it is deregistered (boto3)", async () => {
    const observed = await scenario(accounts.member, 'tags', [accounts.management]);
    expect(observed.arn).toMatch(
      /^arn:aws:license-manager-linux-subscriptions:us-east-1:222222222222:subscription-provider\/[0-9a-f-]{36}$/,
    );
    expect(observed).toMatchObject({
      tagged: { team: 'linux', env: 'prod', owner: 'ops' },
      untagged: { team: 'linux', env: 'prod' },
      too_many: validation,
      long_key: validation,
      stranger_list: notFound,
      stranger_tag: notFound,
      stranger_untag: notFound,
      unknown_list: notFound,
      unknown_untag: notFound,
      other_api_tag: validation,
      after: { team: 'linux', env: 'prod' },
      disable_while_registered: validation,
      disable_refusal: expect.stringContaining(`${observed.arn} is registered: deregister it first`),
      still: 'Enabled',
      disabled: {
        LinuxSubscriptionsDiscovery: 'Disabled',
        Status: 'Successful',
        StatusMessage: { 'us-east-1': 'Account-Offboard: Successful' },
      },
    });
  }, 120_000);
});
