import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, callLicenseManager, CountingAgent, rawRequest, type CliResult } from '../support/clients';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from '../support/directory';
import { reportResources, type ObservedResource } from '../support/inventory';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';

type Account = typeof accounts.member;

/** Polls `read` until `done` holds (steps and discovery's events act after the request answers). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const errorCodeOf = (result: CliResult) => /\((\w+)\)/.exec(result.stderr)?.[1];

const SUBNET = 'subnet-0aa11bb22cc33dd44';
const OTHER_SUBNET = 'subnet-0ff99ee88dd77cc66';
/** A product code this deployment's table (LM_USER_SUBSCRIPTION_PRODUCT_CODES) maps to Office only. */
const OFFICE_CODE = 'officeltsc2024';

interface InstanceSummary {
  InstanceId: string;
  Status: string;
  Products: string[];
  StatusMessage?: string;
  OwnerAccountId?: string;
  LastStatusCheckDate?: string;
  IdentityProvider?: { ActiveDirectoryIdentityProvider?: { DirectoryId?: string } };
}
interface InstanceUserSummary {
  Username: string;
  InstanceId: string;
  Status: string;
  InstanceUserArn: string;
  StatusMessage?: string;
  AssociationDate?: string;
  DisassociationDate?: string;
}

/**
 * User associations and user-subscription instances through the AWS CLI and signed REST calls,
 * against the whole system and a real directory (a private slapd): instances come from the
 * inventory (ReportResources with SubnetId in a registered identity provider's subnets), users are
 * subscribed through the product subscriptions slice, and discovery's events drive termination.
 */
describe('user associations through the AWS CLI', () => {
  let directory: TestDirectory;
  let system: RunningSystem;
  let codes: string;
  const owner = accounts.member;
  const stranger = accounts.outsider;
  const directoryId = 'd-0b1c2d3e4f';
  const byId = JSON.stringify({ ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } });
  const ubs = (account: Account, ...args: string[]) =>
    awsCli(system, account, ['license-manager-user-subscriptions', ...args]);
  const instances = async (account: Account = owner, ...args: string[]) =>
    ((await ubs(account, 'list-instances', ...args)).json?.InstanceSummaries ?? []) as InstanceSummary[];
  const associations = async (instanceId: string, account: Account = owner) =>
    ((await ubs(account, 'list-user-associations', '--instance-id', instanceId, '--identity-provider', byId)).json
      ?.InstanceUserSummaries ?? []) as InstanceUserSummary[];
  const associate = (username: string, instanceId: string, account: Account = owner) =>
    ubs(account, 'associate-user', '--username', username, '--instance-id', instanceId, '--identity-provider', byId);
  const instance = (resourceId: string, changes: Partial<ObservedResource> = {}): ObservedResource => ({
    accountId: owner.accountId,
    resourceId,
    resourceType: 'EC2_INSTANCE',
    state: 'running',
    subnetId: SUBNET,
    ...changes,
  });
  const subscribe = async (username: string) => {
    const started = await ubs(
      owner,
      'start-product-subscription',
      '--username',
      username,
      '--product',
      'VISUAL_STUDIO_ENTERPRISE',
      '--identity-provider',
      byId,
    );
    expect(started.stderr).toBe('');
    const subscribed = await eventually(
      async () =>
        ((await ubs(owner, 'list-product-subscriptions', '--identity-provider', byId)).json?.ProductUserSummaries ??
          []) as { Username: string; Product: string; Status: string; ProductUserArn: string }[],
      (list) => list.filter((s) => s.Username === username && s.Status === 'SUBSCRIBED').length === 2,
    );
    return subscribed.filter((s) => s.Username === username);
  };

  beforeAll(async () => {
    directory = await startDirectory();
    codes = mkdtempSync(join(tmpdir(), 'lm-product-codes-'));
    writeFileSync(join(codes, 'codes.json'), JSON.stringify({ [OFFICE_CODE]: ['OFFICE_PROFESSIONAL_PLUS'] }));
    system = await startSystem({
      LM_DIRECTORY_LDAP_PORT: String(directory.port),
      LM_USER_SUBSCRIPTION_PRODUCT_CODES: join(codes, 'codes.json'),
    });
    expect(
      (
        await awsCli(system, owner, [
          'secretsmanager',
          'create-secret',
          '--name',
          'license-manager-user-admin',
          '--secret-string',
          JSON.stringify(ADMINISTRATOR),
        ])
      ).stderr,
    ).toBe('');
    const provider = JSON.stringify({
      ActiveDirectoryIdentityProvider: {
        DirectoryId: directoryId,
        ActiveDirectoryType: 'AWS_MANAGED',
        ActiveDirectorySettings: {
          DomainName: directory.domainName,
          DomainIpv4List: [directory.host],
          DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: 'license-manager-user-admin' } },
          DomainNetworkSettings: { Subnets: [SUBNET] },
        },
      },
    });
    for (const [product, identityProvider] of [
      ['REMOTE_DESKTOP_SERVICES', provider],
      ['VISUAL_STUDIO_ENTERPRISE', byId],
    ]) {
      const registered = await ubs(
        owner,
        'register-identity-provider',
        '--product',
        product,
        '--identity-provider',
        identityProvider,
        '--settings',
        `Subnets=${SUBNET},SecurityGroupId=sg-0123456789abcdef0`,
      );
      expect(registered.stderr).toBe('');
    }
    const providers = await eventually(
      async () => (await ubs(owner, 'list-identity-providers')).json.IdentityProviderSummaries as { Status: string }[],
      (list) => list.length === 2 && list.every((p) => p.Status === 'REGISTERED'),
    );
    expect(providers.map((p) => p.Status)).toEqual(['REGISTERED', 'REGISTERED']);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await directory?.destroy();
    if (codes) rmSync(codes, { recursive: true, force: true });
  });

  it('lists reported instances in the directory’s subnets with their products; associates, tags the instance user, keeps users through a stop, disassociates them at termination', async () => {
    const alice = await subscribe('alice');
    await reportResources(system, [
      instance('i-0a000000000000001'),
      instance('i-0a000000000000002', { subnetId: OTHER_SUBNET }),
      instance('i-0a000000000000003', {
        productCodes: [{ productCodeId: OFFICE_CODE, productCodeType: 'marketplace' }],
      }),
    ]);
    const listed = await eventually(
      () => instances(),
      (list) => list.length > 0,
    );
    expect(listed).toEqual([
      {
        InstanceId: 'i-0a000000000000001',
        Status: 'ACTIVE',
        Products: ['REMOTE_DESKTOP_SERVICES', 'VISUAL_STUDIO_ENTERPRISE'],
        LastStatusCheckDate: expect.any(String),
        OwnerAccountId: owner.accountId,
        IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } },
      },
    ]);
    expect(await instances(owner, '--filters', 'Attribute=Status,Operation=eq,Value=TERMINATED')).toEqual([]);
    expect(await instances(stranger)).toEqual([]);

    const bob = await associate('bob', 'i-0a000000000000001');
    expect(errorCodeOf(bob)).toBe('ResourceNotFoundException');
    expect(bob.stderr).toMatch(/subscription of user bob to VISUAL_STUDIO_ENTERPRISE/);
    const elsewhere = await associate('alice', 'i-0a000000000000002');
    expect(errorCodeOf(elsewhere)).toBe('ResourceNotFoundException');

    const associated = await associate('alice', 'i-0a000000000000001');
    expect(associated.stderr).toBe('');
    expect(associated.json.InstanceUserSummary).toMatchObject({
      Username: 'alice',
      InstanceId: 'i-0a000000000000001',
      Status: 'ASSOCIATING',
      Domain: directory.domainName,
    });
    const arn: string = associated.json.InstanceUserSummary.InstanceUserArn;
    expect(arn).toMatch(
      new RegExp(
        `^arn:aws:license-manager-user-subscriptions:us-east-1:${owner.accountId}:instance-user/[0-9a-f]{32}$`,
      ),
    );
    const [settled] = await eventually(
      () => associations('i-0a000000000000001'),
      (list) => list[0]?.Status === 'ASSOCIATED',
    );
    expect(settled).toMatchObject({ Status: 'ASSOCIATED', InstanceUserArn: arn, AssociationDate: expect.any(String) });
    expect(errorCodeOf(await associate('alice', 'i-0a000000000000001'))).toBe('ConflictException');

    // The guide's rules in the other slices' operations.
    const vs = alice.find((s) => s.Product === 'VISUAL_STUDIO_ENTERPRISE')!;
    const unsubscribe = await ubs(owner, 'stop-product-subscription', '--product-user-arn', vs.ProductUserArn);
    expect(errorCodeOf(unsubscribe)).toBe('ConflictException');
    expect(unsubscribe.stderr).toMatch(/associated with 1 instance providing it \(i-0a000000000000001\)/);
    const deregister = await ubs(
      owner,
      'deregister-identity-provider',
      '--identity-provider',
      byId,
      '--product',
      'VISUAL_STUDIO_ENTERPRISE',
    );
    expect(errorCodeOf(deregister)).toBe('ConflictException');
    expect(deregister.stderr).toMatch(/1 user is still associated with instances providing VISUAL_STUDIO_ENTERPRISE/);
    expect(deregister.stderr).toMatch(/1 instance providing VISUAL_STUDIO_ENTERPRISE in its subnets is not terminated/);

    // Another account neither sees nor touches any of it.
    expect(await associations('i-0a000000000000001', stranger)).toEqual([]);
    expect(errorCodeOf(await associate('alice', 'i-0a000000000000001', stranger))).toBe('ResourceNotFoundException');
    expect(errorCodeOf(await ubs(stranger, 'disassociate-user', '--instance-user-arn', arn))).toBe(
      'ResourceNotFoundException',
    );

    // The instance user takes tags, its owner's only.
    const tagsOf = (account: Account = owner) => ubs(account, 'list-tags-for-resource', '--resource-arn', arn);
    expect((await ubs(owner, 'tag-resource', '--resource-arn', arn, '--tags', 'env=prod,team=ops')).stderr).toBe('');
    expect((await ubs(owner, 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team')).stderr).toBe('');
    expect((await tagsOf()).json.Tags).toEqual({ env: 'prod' });
    expect(errorCodeOf(await tagsOf(stranger))).toBe('ResourceNotFoundException');
    expect(errorCodeOf(await ubs(stranger, 'tag-resource', '--resource-arn', arn, '--tags', 'x=y'))).toBe(
      'ResourceNotFoundException',
    );

    // A stop leaves the user associated; the instance is unhealthy while it does not run.
    await reportResources(system, [instance('i-0a000000000000001', { state: 'stopped' })]);
    const [stopped] = await eventually(
      () => instances(),
      (list) => list[0]?.Status === 'UNHEALTHY',
    );
    expect(stopped).toMatchObject({ Status: 'UNHEALTHY', StatusMessage: expect.stringMatching(/stopped/) });
    expect((await associations('i-0a000000000000001'))[0].Status).toBe('ASSOCIATED');

    // Termination, as discovery hears of it, disassociates the instance's users.
    await reportResources(system, [instance('i-0a000000000000001', { state: 'terminated' })]);
    const [ended] = await eventually(
      () => associations('i-0a000000000000001'),
      (list) => list[0]?.Status === 'DISASSOCIATED',
    );
    expect(ended).toMatchObject({
      Status: 'DISASSOCIATED',
      StatusMessage: 'Instance i-0a000000000000001 was terminated: its users are disassociated.',
      DisassociationDate: expect.any(String),
    });
    expect((await instances())[0]).toMatchObject({ Status: 'TERMINATED' });
    expect(errorCodeOf(await associate('alice', 'i-0a000000000000001'))).toBe('ResourceNotFoundException');
    // Disassociated from everything, alice can be unsubscribed.
    expect(
      (await ubs(owner, 'stop-product-subscription', '--product-user-arn', vs.ProductUserArn)).json.ProductUserSummary
        .Status,
    ).toBe('UNSUBSCRIBING');
  }, 240_000);

  it('disassociates by InstanceUserArn and by user; refuses bad input with the modeled error, storing nothing', async () => {
    await subscribe('bob');
    await reportResources(system, [instance('i-0b000000000000001'), instance('i-0b000000000000002')]);
    await eventually(
      () => instances(owner, '--filters', 'Attribute=Status,Operation=eq,Value=ACTIVE'),
      (list) => list.length === 2,
    );
    const first = (await associate('bob', 'i-0b000000000000001')).json.InstanceUserSummary as InstanceUserSummary;
    const second = (await associate('BOB', 'i-0b000000000000002')).json.InstanceUserSummary as InstanceUserSummary;
    expect(second.Username).toBe('bob');
    const byArn = await ubs(owner, 'disassociate-user', '--instance-user-arn', first.InstanceUserArn);
    expect(byArn.json.InstanceUserSummary).toMatchObject({
      Status: 'DISASSOCIATED',
      StatusMessage: 'Disassociated on request.',
    });
    const byUser = await ubs(
      owner,
      'disassociate-user',
      '--username',
      'bob',
      '--instance-id',
      'i-0b000000000000002',
      '--identity-provider',
      byId,
    );
    expect(byUser.json.InstanceUserSummary).toMatchObject({
      Status: 'DISASSOCIATED',
      InstanceUserArn: second.InstanceUserArn,
    });
    expect(errorCodeOf(await ubs(owner, 'disassociate-user', '--instance-user-arn', first.InstanceUserArn))).toBe(
      'ConflictException',
    );

    // Bad input, as any client may send it (signed REST calls): each refused, nothing stored.
    const call = (operation: string, body: unknown) =>
      rawRequest(system, {
        account: owner,
        service: 'license-manager-user-subscriptions',
        path: `/user/${operation}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refusals = {
      malformedArn: await call('DisassociateUser', { InstanceUserArn: 'arn:aws:iam::123456789012:user/bob' }),
      bothForms: await call('DisassociateUser', {
        InstanceUserArn: first.InstanceUserArn,
        Username: 'bob',
        InstanceId: 'i-0b000000000000001',
        IdentityProvider: JSON.parse(byId),
      }),
      missingUsername: await call('AssociateUser', {
        InstanceId: 'i-0b000000000000001',
        IdentityProvider: JSON.parse(byId),
      }),
      missingInstance: await call('AssociateUser', { Username: 'bob', IdentityProvider: JSON.parse(byId) }),
      wrongUnionMember: await call('AssociateUser', {
        Username: 'bob',
        InstanceId: 'i-0b000000000000001',
        IdentityProvider: { Unknown: { DirectoryId: directoryId } },
      }),
      otherDomain: await call('AssociateUser', {
        Username: 'bob',
        InstanceId: 'i-0b000000000000001',
        IdentityProvider: JSON.parse(byId),
        Domain: 'elsewhere.example.com',
      }),
      badFilter: await call('ListUserAssociations', {
        InstanceId: 'i-0b000000000000001',
        IdentityProvider: JSON.parse(byId),
        Filters: [{ Attribute: 'Color', Operation: 'eq', Value: 'red' }],
      }),
      badInstanceStatus: await rawRequest(system, {
        account: owner,
        service: 'license-manager-user-subscriptions',
        path: '/instance/ListInstances',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Filters: [{ Attribute: 'Status', Operation: 'eq', Value: 'RUNNING' }] }),
      }),
    };
    for (const [name, response] of Object.entries(refusals))
      expect({ name, status: response.status, type: response.headers.get('x-amzn-errortype')?.split(':')[0] }).toEqual({
        name,
        status: 400,
        type: 'ValidationException',
      });
    for (const instanceId of ['i-0b000000000000001', 'i-0b000000000000002'])
      expect((await associations(instanceId)).map((a) => a.Status)).toEqual(['DISASSOCIATED']);

    // The inventory contract: a malformed SubnetId refuses the whole report (nothing recorded);
    // reported product codes show in the inventory as the model's MarketplaceProductCodes.
    const malformed = await rawRequest(system, {
      account: owner,
      path: '/inventory/ReportResources',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Resources: [
          { ResourceId: 'i-0b000000000000009', ResourceType: 'EC2_INSTANCE', State: 'running', SubnetId: 'subnet-0b9' },
        ],
      }),
    });
    expect([malformed.status, malformed.headers.get('x-amzn-errortype')?.split(':')[0]]).toEqual([
      400,
      'ValidationException',
    ]);
    await reportResources(system, [
      instance('i-0b000000000000003', {
        subnetId: OTHER_SUBNET,
        productCodes: [
          { productCodeId: OFFICE_CODE, productCodeType: 'marketplace' },
          { productCodeId: 'devpay0code', productCodeType: 'devpay' },
        ],
      }),
    ]);
    const inventory = async (resourceId: string) =>
      (
        await callLicenseManager(system, owner, 'ListResourceInventory', {
          Filters: [{ Name: 'resource_id', Condition: 'EQUALS', Value: resourceId }],
        })
      ).json.ResourceInventoryList as { ResourceId: string; MarketplaceProductCodes?: string[] }[];
    expect(await inventory('i-0b000000000000003')).toMatchObject([
      { ResourceId: 'i-0b000000000000003', MarketplaceProductCodes: [OFFICE_CODE] },
    ]);
    expect(await inventory('i-0b000000000000009')).toEqual([]);

    // boto3, unchanged: its paginators, and bad input judged by the service (client-side validation off).
    const viaBoto3 = JSON.parse(
      await boto3Script(system, owner, join(__dirname, 'user-associations-boto3.py'), [
        directoryId,
        'bob',
        'i-0b000000000000001',
      ]),
    );
    const validation = { Code: 'ValidationException', Status: 400 };
    expect(viaBoto3).toEqual({
      instances: expect.arrayContaining([
        ['i-0b000000000000001', 'ACTIVE', ['REMOTE_DESKTOP_SERVICES', 'VISUAL_STUDIO_ENTERPRISE']],
        ['i-0b000000000000002', 'ACTIVE', ['REMOTE_DESKTOP_SERVICES', 'VISUAL_STUDIO_ENTERPRISE']],
      ]),
      associated: 'ASSOCIATING',
      listed: [['bob', true]],
      disassociated: 'DISASSOCIATED',
      refusals: {
        missing_username: validation,
        missing_identity_provider: validation,
        malformed_arn: validation,
        nothing_named: validation,
        list_without_instance: validation,
        bad_max_results: validation,
      },
      after: ['DISASSOCIATED'],
    });
  }, 180_000);

  it('gives a user at most 25 instances: 50 concurrent AssociateUser calls with room for 25 associate exactly 25', async () => {
    await directory.addUser({ username: 'carol', displayName: 'Carol Danvers' });
    await subscribe('carol');
    const ids = Array.from({ length: 51 }, (_, i) => `i-0c${String(i).padStart(15, '0')}`);
    await reportResources(
      system,
      ids.map((id) => instance(id)),
    );
    await eventually(
      () => instances(owner, '--filters', `Attribute=InstanceId,Operation=eq,Value=${ids[50]}`),
      (list) => list.length === 1,
    );
    const agent = new CountingAgent();
    const answers = await Promise.all(
      ids.slice(0, 50).map((instanceId) =>
        signedRestCall(system, owner, agent, '/user/AssociateUser', {
          Username: 'carol',
          InstanceId: instanceId,
          IdentityProvider: JSON.parse(byId),
        }),
      ),
    );
    // Truly concurrent: more calls were on the wire at once than the quota leaves room for.
    expect(agent.peakInFlight).toBeGreaterThan(25);
    const outcomes = answers.map((answer) => (answer.status === 200 ? 'ASSOCIATING' : answer.errorType));
    expect(outcomes.filter((o) => o === 'ASSOCIATING')).toHaveLength(25);
    expect(outcomes.filter((o) => o === 'ServiceQuotaExceededException')).toHaveLength(25);
    const winners = ids.slice(0, 50).filter((_, i) => outcomes[i] === 'ASSOCIATING');
    const live = async () => {
      const lists = await Promise.all(
        ids.slice(0, 50).map(async (instanceId) => {
          const listed = await signedRestCall(system, owner, agent, '/user/ListUserAssociations', {
            InstanceId: instanceId,
            IdentityProvider: JSON.parse(byId),
          });
          return (JSON.parse(listed.body).InstanceUserSummaries ?? []) as InstanceUserSummary[];
        }),
      );
      return lists.flat();
    };
    const settled = await eventually(
      live,
      (list) => list.length === 25 && list.every((a) => a.Status === 'ASSOCIATED'),
    );
    expect(settled.map((a) => a.InstanceId).sort()).toEqual(winners.sort());
    expect(settled.every((a) => a.Status === 'ASSOCIATED')).toBe(true);

    // Full: a 26th is refused; a disassociation makes room for one.
    const over = await associate('carol', ids[50]);
    expect(errorCodeOf(over)).toBe('ServiceQuotaExceededException');
    expect(over.stderr).toMatch(/at most|25 instances/);
    expect(await associations(ids[50])).toEqual([]);
    expect((await ubs(owner, 'disassociate-user', '--instance-user-arn', settled[0].InstanceUserArn)).stderr).toBe('');
    expect((await associate('carol', ids[50])).json.InstanceUserSummary.Status).toBe('ASSOCIATING');
    agent.destroy();
  }, 240_000);
});

/**
 * A restJson1 call of license-manager-user-subscriptions signed as the account, sent on `agent`
 * (whose sockets let every call of a concurrency test be on the wire at once, and count them).
 */
async function signedRestCall(
  system: RunningSystem,
  account: Account,
  agent: CountingAgent,
  path: string,
  input: unknown,
): Promise<{ status: number; errorType?: string; body: string }> {
  const url = new URL(path, system.endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({
    service: 'license-manager-user-subscriptions',
    region: system.region,
    credentials: credentialsOf(account),
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    }),
  );
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', headers: signed.headers, agent }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          errorType: (response.headers['x-amzn-errortype'] as string | undefined)?.split(':')[0],
          body: text,
        }),
      );
    });
    sent.on('error', reject);
    sent.end(body);
  });
}
