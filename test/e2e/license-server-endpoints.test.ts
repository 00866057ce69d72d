import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, rawRequest, type CliResult } from '../support/clients';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from '../support/directory';
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

interface PublishedEvent {
  type: string;
  data: Record<string, any>;
}

/**
 * The integrator of this test: it follows the endpoint events on NATS as a real one would (core
 * NATS on the JetStream subjects), and reports what it did through the extensions API, signed as
 * the endpoint's account, or as plain JSON on NATS.
 */
class Integrator {
  private readonly seen: PublishedEvent[] = [];
  private readonly subscription: Subscription;

  constructor(
    private readonly system: RunningSystem,
    private readonly nc: NatsConnection,
  ) {
    this.subscription = nc.subscribe(`lm.${system.natsNamespace}.events.user-subscriptions.*`);
    void (async () => {
      for await (const message of this.subscription) this.seen.push(codec.decode(message.data));
    })();
  }

  /** The event of `type` for the endpoint `arn` (or the next one of that type when arn is undefined). */
  async event(type: string, arn?: string): Promise<PublishedEvent> {
    const found = await eventually(
      async () => this.seen.find((event) => event.type === type && (arn === undefined || event.data.arn === arn)),
      (event) => event !== undefined,
      60_000,
    );
    if (!found) throw new Error(`no ${type} for ${arn}`);
    this.seen.splice(this.seen.indexOf(found), 1);
    return found;
  }

  reportSigned(account: Account, body: unknown, service = 'license-manager-user-subscriptions') {
    return rawRequest(this.system, {
      account,
      service,
      path: '/license-server/ReportLicenseServers',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async reportOnNats(body: unknown): Promise<any> {
    const reply = await this.nc.request(
      `lm.${this.system.natsNamespace}.user-subscriptions.ReportLicenseServers`,
      codec.encode(body),
      { timeout: 10_000 },
    );
    return codec.decode(reply.data);
  }

  stop() {
    this.subscription.unsubscribe();
  }
}

/**
 * RDS SAL license server endpoints through the AWS CLI against the whole system, a real directory
 * (a private slapd) and secrets made with `aws secretsmanager create-secret`, provisioned and
 * removed by an integrator that answers the endpoint's events.
 */
// Each AWS CLI call is a Python process of its own: a test makes dozens, more than the default minute on two busy cores.
describe('license server endpoints through the AWS CLI, with an integrator', { timeout: 240_000 }, () => {
  let directory: TestDirectory;
  let system: RunningSystem;
  let nc: NatsConnection;
  let integrator: Integrator;
  let identityProviderArn: string;
  let directoryId: string;
  const owner = accounts.member;
  const stranger = accounts.management;
  const ubs = (account: Account, ...args: string[]) =>
    awsCli(system, account, ['license-manager-user-subscriptions', ...args]);
  const settings = (secretId: string, serverType = 'RDS_SAL') =>
    JSON.stringify({
      ServerType: serverType,
      ServerSettings: {
        RdsSalSettings: { RdsSalCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: secretId } } },
      },
    });
  const create = (account: Account, secretId = 'license-manager-user-rds', arn = identityProviderArn) =>
    ubs(
      account,
      'create-license-server-endpoint',
      '--identity-provider-arn',
      arn,
      '--license-server-settings',
      settings(secretId),
      '--tags',
      'team=it',
    );
  const endpoints = async (account = owner) =>
    ((await ubs(account, 'list-license-server-endpoints')).json?.LicenseServerEndpoints ?? []) as any[];
  const endpointOf = async (arn: string) => (await endpoints()).find((e) => e.LicenseServerEndpointArn === arn);
  const secret = (account: Account, name: string, value: unknown) =>
    awsCli(system, account, [
      'secretsmanager',
      'create-secret',
      '--name',
      name,
      '--secret-string',
      JSON.stringify(value),
    ]);

  beforeAll(async () => {
    directory = await startDirectory();
    system = await startSystem({ LM_DIRECTORY_LDAP_PORT: String(directory.port) });
    nc = await connect({ servers: process.env.NATS_URL });
    integrator = new Integrator(system, nc);
    expect((await secret(owner, 'license-manager-user-admin', ADMINISTRATOR)).stderr).toBe('');
    expect((await secret(owner, 'license-manager-user-rds', ADMINISTRATOR)).stderr).toBe('');
    expect((await secret(owner, 'license-manager-user-malformed', { user: 'Administrator' })).stderr).toBe('');
    const registered = await ubs(
      owner,
      'register-identity-provider',
      '--product',
      'REMOTE_DESKTOP_SERVICES',
      '--identity-provider',
      JSON.stringify({
        ActiveDirectoryIdentityProvider: {
          ActiveDirectoryType: 'SELF_MANAGED',
          ActiveDirectorySettings: {
            DomainName: directory.domainName,
            DomainIpv4List: [directory.host],
            DomainCredentialsProvider: {
              SecretsManagerCredentialsProvider: { SecretId: 'license-manager-user-admin' },
            },
            DomainNetworkSettings: { Subnets: ['subnet-0123456789abcdef0'] },
          },
        },
      }),
    );
    expect(registered.stderr).toBe('');
    identityProviderArn = registered.json.IdentityProviderSummary.IdentityProviderArn;
    directoryId = registered.json.IdentityProviderSummary.IdentityProvider.ActiveDirectoryIdentityProvider.DirectoryId;
    const providers = await eventually(
      async () => (await ubs(owner, 'list-identity-providers')).json.IdentityProviderSummaries,
      (list: any[]) => list[0]?.Status === 'REGISTERED',
    );
    expect(providers[0].Status).toBe('REGISTERED');
  }, 300_000);
  afterAll(async () => {
    integrator?.stop();
    await nc?.close();
    await system?.stop();
    await directory?.destroy();
  });

  it('refuses bad input with the modeled error (AWS CLI and boto3) and stores nothing', async () => {
    expect(errorCodeOf(await create(owner, 'rds-admin'))).toBe('ValidationException');
    expect(errorCodeOf(await create(owner, 'license-manager-user-missing'))).toBe('ResourceNotFoundException');
    const malformed = await create(owner, 'license-manager-user-malformed');
    expect(errorCodeOf(malformed)).toBe('ValidationException');
    expect(malformed.stderr).toMatch(/username and password/);
    expect(malformed.stderr).not.toContain(ADMINISTRATOR.password);
    const wrongType = await ubs(
      owner,
      'create-license-server-endpoint',
      '--identity-provider-arn',
      identityProviderArn,
      '--license-server-settings',
      settings('license-manager-user-rds', 'RDS_CAL'),
    );
    expect(errorCodeOf(wrongType)).toBe('ValidationException');
    expect(errorCodeOf(await create(owner, undefined, 'arn:aws:license-manager-user-subscriptions:nope'))).toBe(
      'ValidationException',
    );
    // Another account's identity provider, or the owner's secret from another account: not found.
    expect(errorCodeOf(await create(stranger))).toBe('ResourceNotFoundException');
    const deleteMalformed = await ubs(
      owner,
      'delete-license-server-endpoint',
      '--license-server-endpoint-arn',
      'arn:aws:license-manager-user-subscriptions:us-east-1:222222222222:identity-provider/x',
      '--server-type',
      'RDS_SAL',
    );
    expect(errorCodeOf(deleteMalformed)).toBe('ValidationException');
    // boto3, its own validation off, so that the service judges each request.
    const observed = JSON.parse(
      await boto3Script(system, owner, join(__dirname, 'license-server-endpoints-boto3.py'), [identityProviderArn]),
    );
    const validation = { Code: 'ValidationException', Status: 400 };
    expect(observed).toEqual({
      no_server_settings_member: validation,
      wrong_server_type: validation,
      secret_without_prefix: validation,
      missing_secret: { Code: 'ResourceNotFoundException', Status: 404 },
      malformed_identity_provider_arn: validation,
      malformed_endpoint_arn: validation,
      unknown_filter: validation,
      listed: [],
    });
    expect(await endpoints()).toEqual([]);
  });

  it('is PROVISIONED by the signed report of the integrator, one per identity provider, and blocks deregistration', async () => {
    const created = await create(owner);
    expect(created.stderr).toBe('');
    const arn: string = created.json.LicenseServerEndpointArn;
    expect(created.json.IdentityProviderArn).toBe(identityProviderArn);
    expect(arn).toMatch(
      /^arn:aws:license-manager-user-subscriptions:us-east-1:222222222222:license-server-endpoint\/[0-9a-f-]{36}$/,
    );
    expect(await endpointOf(arn)).toMatchObject({ LicenseServerEndpointProvisioningStatus: 'PROVISIONING' });

    const requested = await integrator.event('LicenseServerEndpointRequested', arn);
    expect(requested.data).toMatchObject({
      accountId: '222222222222',
      identityProviderArn,
      serverType: 'RDS_SAL',
      secretId: 'license-manager-user-rds',
      directory: { domainName: directory.domainName, addresses: [directory.host] },
    });
    expect(JSON.stringify(requested)).not.toContain(ADMINISTRATOR.password);

    expect(errorCodeOf(await create(owner))).toBe('ConflictException');
    const report = {
      LicenseServerEndpointArn: arn,
      ProvisioningStatus: 'PROVISIONED',
      Endpoint: 'rds-sal.corp.example.com',
      LicenseServers: [
        { Ipv4Address: '10.0.1.10', HealthStatus: 'HEALTHY' },
        { Ipv4Address: '10.0.1.11', HealthStatus: 'UNHEALTHY' },
      ],
    };
    // Signed for license-manager, the other extensions' name, it is refused as AWS refuses a scope for another
    // service, naming the right one; another account's is not found.
    const misSigned = await integrator.reportSigned(owner, report, 'license-manager');
    expect(misSigned.text).toContain('InvalidSignatureException');
    expect(misSigned.text).toContain(
      "Credential should be scoped to correct service: 'license-manager-user-subscriptions'.",
    );
    const foreign = await integrator.reportSigned(stranger, report);
    expect([foreign.status, foreign.json?.__type ?? foreign.headers.get('x-amzn-errortype')]).toEqual([
      404,
      expect.stringContaining('ResourceNotFoundException'),
    ]);
    const reported = await integrator.reportSigned(owner, report);
    expect([reported.status, reported.json]).toEqual([
      200,
      { LicenseServerEndpointArn: arn, LicenseServerEndpointProvisioningStatus: 'PROVISIONED' },
    ]);
    expect((await integrator.event('LicenseServerEndpointProvisioned', arn)).data.servers).toHaveLength(2);
    const listed = await endpointOf(arn);
    expect(listed).toMatchObject({
      IdentityProviderArn: identityProviderArn,
      ServerType: 'RDS_SAL',
      ServerEndpoint: { Endpoint: 'rds-sal.corp.example.com' },
      LicenseServerEndpointProvisioningStatus: 'PROVISIONED',
      LicenseServerEndpointId: arn.split('/')[1],
      LicenseServers: [
        { ProvisioningStatus: 'PROVISIONED', HealthStatus: 'HEALTHY', Ipv4Address: '10.0.1.10' },
        { ProvisioningStatus: 'PROVISIONED', HealthStatus: 'UNHEALTHY', Ipv4Address: '10.0.1.11' },
      ],
    });
    expect(typeof listed.CreationTime).toBe('number');
    const filtered = await ubs(
      owner,
      'list-license-server-endpoints',
      '--filters',
      `Attribute=IdentityProviderArn,Operation=eq,Value=${identityProviderArn}`,
    );
    expect(filtered.json.LicenseServerEndpoints).toHaveLength(1);

    // Tags: the endpoint's (created with team=it), the owner's only.
    const tagsOf = async (account: Account, resourceArn = arn) =>
      ubs(account, 'list-tags-for-resource', '--resource-arn', resourceArn);
    expect((await ubs(owner, 'tag-resource', '--resource-arn', arn, '--tags', 'env=prod')).stderr).toBe('');
    expect((await tagsOf(owner)).json.Tags).toEqual({ team: 'it', env: 'prod' });
    expect((await ubs(owner, 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team')).stderr).toBe('');
    expect((await tagsOf(owner)).json.Tags).toEqual({ env: 'prod' });
    expect(errorCodeOf(await tagsOf(stranger))).toBe('ResourceNotFoundException');
    expect(errorCodeOf(await ubs(stranger, 'tag-resource', '--resource-arn', arn, '--tags', 'x=y'))).toBe(
      'ResourceNotFoundException',
    );
    expect((await tagsOf(owner)).json.Tags).toEqual({ env: 'prod' });

    const refused = await ubs(owner, 'deregister-identity-provider', '--identity-provider-arn', identityProviderArn);
    expect(errorCodeOf(refused)).toBe('ConflictException');
    expect(refused.stderr).toContain(`license server endpoint ${arn} is PROVISIONED`);

    // Another account sees nothing and touches nothing.
    expect(await endpoints(stranger)).toEqual([]);
    const foreignDelete = await ubs(
      stranger,
      'delete-license-server-endpoint',
      '--license-server-endpoint-arn',
      arn,
      '--server-type',
      'RDS_SAL',
    );
    expect(errorCodeOf(foreignDelete)).toBe('ResourceNotFoundException');

    const deleting = await ubs(
      owner,
      'delete-license-server-endpoint',
      '--license-server-endpoint-arn',
      arn,
      '--server-type',
      'RDS_SAL',
    );
    expect(deleting.json.LicenseServerEndpoint).toMatchObject({ LicenseServerEndpointProvisioningStatus: 'DELETING' });
    await integrator.event('LicenseServerEndpointDeletionRequested', arn);
    // The same body on NATS, trusted for the ARN's account.
    expect(await integrator.reportOnNats({ LicenseServerEndpointArn: arn, ProvisioningStatus: 'DELETED' })).toEqual({
      LicenseServerEndpointArn: arn,
      LicenseServerEndpointProvisioningStatus: 'DELETED',
    });
    expect(await endpointOf(arn)).toMatchObject({ LicenseServerEndpointProvisioningStatus: 'DELETED' });
  });

  it("counts the directory's subscribed users per product in reporting's SubscribedUserCount (CloudWatch)", async () => {
    const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const provider = JSON.stringify({ ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } });
    const subscription = (verb: 'start' | 'stop', username: string) =>
      ubs(
        owner,
        `${verb}-product-subscription`,
        '--username',
        username,
        '--product',
        'REMOTE_DESKTOP_SERVICES',
        '--identity-provider',
        provider,
      );
    const statuses = async () =>
      (
        (await ubs(owner, 'list-product-subscriptions', '--identity-provider', provider)).json?.ProductUserSummaries ??
        []
      )
        .map((s: any) => `${s.Username}:${s.Status}`)
        .sort();
    const statistics = (account: Account) =>
      awsCli(system, account, [
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'AWSLicenseManager/licenseUsage',
        '--metric-name',
        'SubscribedUserCount',
        '--dimensions',
        'Name=Product,Value=REMOTE_DESKTOP_SERVICES',
        '--start-time',
        start.toISOString(),
        '--end-time',
        new Date(start.getTime() + 2 * 3_600_000).toISOString(),
        '--period',
        '60',
        '--statistics',
        'Maximum',
        'Minimum',
        'SampleCount',
      ]);
    const points = async (account = owner) =>
      ((await statistics(account)).json?.Datapoints ?? []) as {
        Maximum: number;
        Minimum: number;
        SampleCount: number;
      }[];
    const summary = (datapoints: { Maximum: number; Minimum: number; SampleCount: number }[]) => ({
      maximum: Math.max(...datapoints.map((p) => p.Maximum)),
      minimum: Math.min(...datapoints.map((p) => p.Minimum)),
      samples: datapoints.reduce((sum, p) => sum + p.SampleCount, 0),
    });

    expect((await subscription('start', 'alice')).stderr).toBe('');
    expect((await subscription('start', 'bob')).stderr).toBe('');
    expect(
      await eventually(statuses, (list) => list.every((s: string) => s.endsWith(':SUBSCRIBED')) && list.length === 2),
    ).toEqual(['alice:SUBSCRIBED', 'bob:SUBSCRIBED']);
    // One point per change, with the count after it: 1, then 2.
    expect(summary(await eventually(points, (list) => summary(list).samples >= 2, 60_000))).toEqual({
      maximum: 2,
      minimum: 1,
      samples: 2,
    });
    expect(await points(stranger)).toEqual([]);
    expect((await subscription('stop', 'alice')).stderr).toBe('');
    expect((await subscription('stop', 'bob')).stderr).toBe('');
    await eventually(statuses, (list) => list.every((s: string) => s.endsWith(':UNSUBSCRIBED')));
    expect(summary(await eventually(points, (list) => summary(list).samples >= 4, 60_000))).toEqual({
      maximum: 2,
      minimum: 0,
      samples: 4,
    });
  });

  it('is PROVISIONING_FAILED with the message reported on NATS, then deleted, and the directory deregistered', async () => {
    const arn: string = (await create(owner)).json.LicenseServerEndpointArn;
    await integrator.event('LicenseServerEndpointRequested', arn);
    expect(
      await integrator.reportOnNats({ LicenseServerEndpointArn: arn, ProvisioningStatus: 'PROVISIONING_FAILED' }),
    ).toMatchObject({ __type: 'ValidationException' });
    const failed = await integrator.reportOnNats({
      LicenseServerEndpointArn: arn,
      ProvisioningStatus: 'PROVISIONING_FAILED',
      StatusMessage: 'No capacity for the license servers in subnet-0123456789abcdef0.',
    });
    expect(failed.LicenseServerEndpointProvisioningStatus).toBe('PROVISIONING_FAILED');
    expect(await endpointOf(arn)).toMatchObject({
      LicenseServerEndpointProvisioningStatus: 'PROVISIONING_FAILED',
      StatusMessage: 'No capacity for the license servers in subnet-0123456789abcdef0.',
    });
    // A late PROVISIONED report cannot revive it.
    const late = await integrator.reportOnNats({
      LicenseServerEndpointArn: arn,
      ProvisioningStatus: 'PROVISIONED',
      LicenseServers: [{ Ipv4Address: '10.0.1.12', HealthStatus: 'HEALTHY' }],
    });
    expect(late.__type).toBe('ConflictException');

    await ubs(
      owner,
      'delete-license-server-endpoint',
      '--license-server-endpoint-arn',
      arn,
      '--server-type',
      'RDS_SAL',
    );
    await integrator.event('LicenseServerEndpointDeletionRequested', arn);
    const deleted = await integrator.reportSigned(owner, {
      LicenseServerEndpointArn: arn,
      ProvisioningStatus: 'DELETED',
    });
    expect(deleted.json.LicenseServerEndpointProvisioningStatus).toBe('DELETED');
    const deregistered = await ubs(
      owner,
      'deregister-identity-provider',
      '--identity-provider-arn',
      identityProviderArn,
    );
    expect(deregistered.stderr).toBe('');
    expect(deregistered.json.IdentityProviderSummary.Status).toBe('DEREGISTERING');
  });
});
