import { join } from 'node:path';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, rawRequest, type CliResult } from '../support/clients';
import { RedHatStandin, type StandinAccount } from '../support/redhat-standin';
import { accounts, startSystem, type RunningSystem } from '../support/system';

type Account = typeof accounts.member;

/** Polls `read` until `done` holds. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const errorCodeOf = (result: CliResult) => /\((\w+)\)/.exec(result.stderr)?.[1];
const codec = JSONCodec<any>();
const TAG = { Key: 'LicenseManagerLinuxSubscriptions', Value: 'enabled' };

/** Two systems on EC2 (Red Hat's cloud facts name the instance), one on premises. */
const redHatAccount = (): StandinAccount => ({
  subscriptions: [
    {
      subscriptionNumber: '10001234',
      subscriptionName: 'Red Hat Enterprise Linux Server, Premium (Physical or Virtual Nodes)',
      sku: 'RH00003',
      quantity: 10,
      status: 'Active',
    },
  ],
  systems: [
    { uuid: '4f0e3a4c-0000-4000-8000-000000000001', name: 'web-1', facts: { aws_instance_id: 'i-0a1b2c3d4e5f60718' } },
    { uuid: '4f0e3a4c-0000-4000-8000-000000000002', name: 'web-2', facts: { aws_instance_id: 'i-0a1b2c3d4e5f60719' } },
    { uuid: '4f0e3a4c-0000-4000-8000-000000000003', name: 'db-1', facts: { 'dmi.system.manufacturer': 'Dell Inc.' } },
  ],
});

/**
 * Red Hat Subscription Manager providers through the gateway (signed HTTP, the AWS CLI, boto3)
 * against the whole system and a local Red Hat stand-in (its SSO token endpoint and Subscription
 * Management API), with secrets made in the Secrets Manager subset.
 */
describe('Red Hat subscription providers', { timeout: 240_000 }, () => {
  const standin = new RedHatStandin();
  let system: RunningSystem;
  let nc: NatsConnection;
  let subscription: Subscription;
  const published: { type: string; data: Record<string, any>; text: string }[] = [];
  let token: string;
  const owner = accounts.member;
  const outsider = accounts.outsider;
  const secretArns: Record<string, string> = {};

  const lls = (account: Account, operation: string, input: object) =>
    rawRequest(system, {
      account,
      service: 'license-manager-linux-subscriptions',
      path: `/subscription/${operation}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
  const secretsManager = (account: Account, operation: string, input: object) =>
    rawRequest(system, {
      account,
      service: 'secretsmanager',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${operation}` },
      body: JSON.stringify(input),
    });
  const cli = (account: Account, ...args: string[]) =>
    awsCli(system, account, ['license-manager-linux-subscriptions', ...args]);
  const provider = async (arn: string, account = owner) =>
    (await lls(account, 'GetRegisteredSubscriptionProvider', { SubscriptionProviderArn: arn })).json;
  const providers = async (account = owner) =>
    ((await lls(account, 'ListRegisteredSubscriptionProviders', {})).json?.RegisteredSubscriptionProviders ??
      []) as any[];
  const discovery = (account: Account, LinuxSubscriptionsDiscovery: 'Enabled' | 'Disabled') =>
    lls(account, 'UpdateServiceSettings', {
      LinuxSubscriptionsDiscovery,
      LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: ['us-east-1'] },
    });
  const enableDiscovery = async (account: Account) => {
    const updated = await discovery(account, 'Enabled');
    expect(updated.status, updated.text).toBe(200);
  };
  const createSecret = async (account: Account, name: string, value: string, tags = [TAG]) => {
    const created = await secretsManager(account, 'CreateSecret', { Name: name, SecretString: value, Tags: tags });
    expect(created.status, created.text).toBe(200);
    return created.json.ARN as string;
  };

  beforeAll(async () => {
    await standin.start();
    token = standin.addAccount(redHatAccount());
    system = await startSystem({
      LM_REDHAT_SSO_URL: standin.ssoUrl,
      LM_REDHAT_API_URL: standin.apiUrl,
      LM_REDHAT_RETRIEVAL_MS: '1000',
    });
    nc = await connect({ servers: process.env.NATS_URL });
    subscription = nc.subscribe(`lm.${system.natsNamespace}.events.linux-subscriptions.*`);
    void (async () => {
      for await (const message of subscription) {
        const event = codec.decode(message.data);
        published.push({ type: event.type, data: event.data, text: new TextDecoder().decode(message.data) });
      }
    })();
    await enableDiscovery(owner);
    await enableDiscovery(outsider);
    secretArns.token = await createSecret(owner, 'rhsm-offline-token', token);
    secretArns.untagged = await createSecret(owner, 'rhsm-untagged', token, []);
    secretArns.foreign = await createSecret(outsider, 'rhsm-offline-token', token);
  }, 300_000);
  afterAll(async () => {
    subscription?.unsubscribe();
    await nc?.close();
    await system?.stop();
    await standin.stop();
  });

  it('links a Red Hat account: PENDING, ACTIVE once its data was read, INVALID when the token is revoked, ACTIVE again with a new one, INVALID while the secret is untagged, then deregistered', async () => {
    const registered = await cli(
      owner,
      'register-subscription-provider',
      '--secret-arn',
      secretArns.token,
      '--subscription-provider-source',
      'RedHat',
      '--tags',
      'team=linux',
    );
    expect(registered.stderr).toBe('');
    const arn = registered.json.SubscriptionProviderArn as string;
    expect(arn).toMatch(/^arn:aws:license-manager-linux-subscriptions:us-east-1:222222222222:subscription-provider\//);
    expect(registered.json).toMatchObject({
      SubscriptionProviderSource: 'RedHat',
      SubscriptionProviderStatus: 'PENDING',
    });

    const active = await eventually(
      () => provider(arn),
      (p) => p.SubscriptionProviderStatus === 'ACTIVE',
    );
    expect(active).toMatchObject({
      SubscriptionProviderArn: arn,
      SubscriptionProviderSource: 'RedHat',
      SecretArn: secretArns.token,
      SubscriptionProviderStatus: 'ACTIVE',
    });
    expect(Date.parse(active.LastSuccessfulDataRetrievalTime)).toBeGreaterThan(Date.now() - 60_000);
    const retrieved = await eventually(
      async () => published.find((e) => e.type === 'SubscriptionProviderDataRetrieved' && e.data.arn === arn),
      (e) => e !== undefined,
    );
    expect(retrieved!.data).toMatchObject({
      subscriptionCount: 1,
      systemCount: 3,
      registeredInstanceIds: ['i-0a1b2c3d4e5f60718', 'i-0a1b2c3d4e5f60719'],
    });
    // The scheduled retrieval keeps going: the time moves on.
    const later = await eventually(
      () => provider(arn),
      (p) => p.LastSuccessfulDataRetrievalTime > active.LastSuccessfulDataRetrievalTime,
    );
    expect(later.SubscriptionProviderStatus).toBe('ACTIVE');

    // A smoke of the other operations through the AWS CLI.
    const got = await cli(owner, 'get-registered-subscription-provider', '--subscription-provider-arn', arn);
    expect(got.json).toMatchObject({ SubscriptionProviderArn: arn, SubscriptionProviderStatus: 'ACTIVE' });
    const listed = await cli(
      owner,
      'list-registered-subscription-providers',
      '--subscription-provider-sources',
      'RedHat',
    );
    expect(listed.json.RegisteredSubscriptionProviders.map((p: any) => p.SubscriptionProviderArn)).toEqual([arn]);
    const tags = await cli(owner, 'list-tags-for-resource', '--resource-arn', arn);
    expect(tags.json.tags).toEqual({ team: 'linux' });

    // A second provider of the source is refused while this one is registered.
    const twice = await lls(owner, 'RegisterSubscriptionProvider', {
      SecretArn: secretArns.token,
      SubscriptionProviderSource: 'RedHat',
    });
    expect([twice.status, twice.json.__type ?? twice.headers.get('x-amzn-errortype')]).toEqual([
      400,
      expect.stringContaining('ValidationException'),
    ]);
    expect(twice.json.message).toContain(arn);

    // Discovery cannot be disabled while the provider is registered (the guide deregisters it first).
    const disabling = await discovery(owner, 'Disabled');
    expect(disabling.status).toBe(400);
    expect(disabling.json.message).toContain(arn);

    standin.revoke(token);
    const invalid = await eventually(
      () => provider(arn),
      (p) => p.SubscriptionProviderStatus === 'INVALID',
    );
    expect(invalid.SubscriptionProviderStatusMessage).toMatch(
      /Red Hat SSO refused the offline token \(invalid_grant: Offline user session not found\)/,
    );
    expect(invalid.LastSuccessfulDataRetrievalTime).toBeDefined();

    const renewed = standin.addAccount(redHatAccount());
    const put = await secretsManager(owner, 'PutSecretValue', { SecretId: secretArns.token, SecretString: renewed });
    expect(put.status, put.text).toBe(200);
    const again = await eventually(
      () => provider(arn),
      (p) => p.SubscriptionProviderStatus === 'ACTIVE',
    );
    expect(again.SubscriptionProviderStatusMessage).toBeUndefined();

    // The tag is checked at each read, as the role's policy does: untagged, the secret is not read.
    await secretsManager(owner, 'UntagResource', { SecretId: secretArns.token, TagKeys: [TAG.Key] });
    const untagged = await eventually(
      () => provider(arn),
      (p) => p.SubscriptionProviderStatus === 'INVALID',
    );
    expect(untagged.SubscriptionProviderStatusMessage).toMatch(
      /must carry the tag LicenseManagerLinuxSubscriptions=enabled/,
    );
    await secretsManager(owner, 'TagResource', { SecretId: secretArns.token, Tags: [TAG] });
    await eventually(
      () => provider(arn),
      (p) => p.SubscriptionProviderStatus === 'ACTIVE',
    );

    const deregistered = await cli(owner, 'deregister-subscription-provider', '--subscription-provider-arn', arn);
    expect(deregistered.stderr).toBe('');
    const gone = await cli(owner, 'get-registered-subscription-provider', '--subscription-provider-arn', arn);
    expect(errorCodeOf(gone)).toBe('ResourceNotFoundException');
    expect(await providers()).toEqual([]);
    await eventually(
      async () => published.some((e) => e.type === 'SubscriptionProviderDeregistered' && e.data.arn === arn),
      (seen) => seen,
    );

    // Once it is deregistered, discovery can be disabled (and enabled again for the next tests).
    expect((await discovery(owner, 'Disabled')).status).toBe(200);
    await enableDiscovery(owner);

    // The offline tokens never left the secret: no event, no log line holds them.
    for (const secretValue of [token, renewed]) {
      expect(published.some((e) => e.text.includes(secretValue))).toBe(false);
      for (const process of ['linux-subscriptions', 'user-subscriptions', 'gateway'] as const)
        expect(system.logs(process)).not.toContain(secretValue);
    }
  });

  it('marks a provider whose token Red Hat never accepted INVALID, saying why', async () => {
    const revoked = standin.addAccount(redHatAccount());
    standin.revoke(revoked);
    const secretArn = await createSecret(outsider, 'rhsm-revoked-token', revoked);
    const registered = await lls(outsider, 'RegisterSubscriptionProvider', {
      SecretArn: secretArn,
      SubscriptionProviderSource: 'RedHat',
    });
    expect(registered.status, registered.text).toBe(200);
    expect(registered.json.SubscriptionProviderStatus).toBe('PENDING');
    const arn = registered.json.SubscriptionProviderArn;
    const invalid = await eventually(
      () => provider(arn, outsider),
      (p) => p.SubscriptionProviderStatus === 'INVALID',
    );
    expect(invalid.SubscriptionProviderStatusMessage).toMatch(/Offline user session not found/);
    expect(invalid.LastSuccessfulDataRetrievalTime).toBeUndefined();
    // Another account sees nothing of it.
    const seen = await lls(owner, 'GetRegisteredSubscriptionProvider', { SubscriptionProviderArn: arn });
    expect(seen.headers.get('x-amzn-errortype')).toMatch(/^ResourceNotFoundException/);
    expect((await lls(owner, 'DeregisterSubscriptionProvider', { SubscriptionProviderArn: arn })).json.message).toMatch(
      /was not found/,
    );
    expect(await providers(owner)).toEqual([]);
    expect((await lls(outsider, 'DeregisterSubscriptionProvider', { SubscriptionProviderArn: arn })).status).toBe(200);
  });

  it('refuses a secret without the tag, of another account or missing, and bad input on every operation, storing nothing (AWS CLI and boto3)', async () => {
    const untagged = await cli(
      owner,
      'register-subscription-provider',
      '--secret-arn',
      secretArns.untagged,
      '--subscription-provider-source',
      'RedHat',
    );
    expect(errorCodeOf(untagged)).toBe('ValidationException');
    expect(untagged.stderr).toContain('must carry the tag LicenseManagerLinuxSubscriptions=enabled');
    const foreign = await lls(owner, 'RegisterSubscriptionProvider', {
      SecretArn: secretArns.foreign,
      SubscriptionProviderSource: 'RedHat',
    });
    expect([foreign.status, foreign.json.message]).toEqual([
      400,
      `Secret ${secretArns.foreign} belongs to account 333333333333: the secret must be in your own account (222222222222).`,
    ]);
    // The guide's prerequisite: an account without Linux subscriptions discovery registers none.
    const undiscovered = await lls(accounts.management, 'RegisterSubscriptionProvider', {
      SecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:rhsm-offline-token-AbCdEf',
      SubscriptionProviderSource: 'RedHat',
    });
    expect(undiscovered.status).toBe(400);
    expect(undiscovered.json.message).toMatch(/discovery must be enabled/);
    expect(await providers(accounts.management)).toEqual([]);
    const missing = await cli(
      owner,
      'register-subscription-provider',
      '--secret-arn',
      secretArns.token.replace('rhsm-offline-token', 'rhsm-missing'),
      '--subscription-provider-source',
      'RedHat',
    );
    expect(errorCodeOf(missing)).toBe('ValidationException');

    const observed = JSON.parse(
      await boto3Script(system, owner, join(__dirname, 'linux-subscription-providers-boto3.py'), [
        secretArns.untagged,
        secretArns.foreign,
      ]),
    );
    const validation = { Code: 'ValidationException', Status: 400 };
    // The model gives ResourceNotFoundException no status of its own: 400, as AWS answers it.
    const notFound = { Code: 'ResourceNotFoundException', Status: 400 };
    expect(observed).toEqual({
      unknown_source: validation,
      no_secret: validation,
      malformed_secret_arn: validation,
      untagged_secret: validation,
      foreign_secret: validation,
      too_many_tags: validation,
      get_malformed_arn: validation,
      get_unknown: notFound,
      deregister_unknown: notFound,
      deregister_missing_arn: validation,
      list_max_results_0: validation,
      list_max_results_101: validation,
      list_bad_token: validation,
      list_unknown_source: validation,
      listed: [],
    });
    expect(
      published.filter((e) => e.type === 'SubscriptionProviderRegistered' && e.data.accountId === owner.accountId),
    ).toHaveLength(1);
  });
});
