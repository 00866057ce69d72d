import { join } from 'node:path';
import type { DomainEventMessage } from '@lm/contracts';
import { eventsStreamName } from '@lm/messaging';
import { AckPolicy, connect, DeliverPolicy, JSONCodec } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, type CliResult } from '../support/clients';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from '../support/directory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/** Polls `read` until `done` holds (the steps settle registrations and subscriptions after the request). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const errorCodeOf = (result: CliResult) => /\((\w+)\)/.exec(result.stderr)?.[1];

/**
 * Identity providers and product subscriptions through the AWS CLI and boto3, unchanged, against
 * the whole system and a real directory (a private slapd, test/support/directory.ts), with the
 * directory's credentials in a secret made by `aws secretsmanager create-secret`.
 */
describe('user-based subscriptions through the AWS CLI and boto3', () => {
  let directory: TestDirectory;
  let system: RunningSystem;
  const owner = accounts.member;
  const stranger = accounts.management;
  const ubs = (account: typeof owner, ...args: string[]) =>
    awsCli(system, account, ['license-manager-user-subscriptions', ...args]);
  const directoryId = 'd-0a1b2c3d4e';
  const byId = JSON.stringify({ ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } });
  const providers = async (account = owner) =>
    (await ubs(account, 'list-identity-providers')).json.IdentityProviderSummaries as {
      IdentityProviderArn: string;
      Product: string;
      Status: string;
      FailureMessage?: string;
    }[];
  const subscriptions = async (account = owner) =>
    ((await ubs(account, 'list-product-subscriptions', '--identity-provider', byId)).json?.ProductUserSummaries ??
      []) as { Username: string; Product: string; Status: string; ProductUserArn: string }[];

  /**
   * TagResource, ListTagsForResource and UntagResource on one of the owner's ARNs, on top of the
   * tags it was created with; another account's are not found and change nothing.
   */
  const expectTagsTaken = async (arn: string, created: Record<string, string>) => {
    const tagsOf = (account = owner) => ubs(account, 'list-tags-for-resource', '--resource-arn', arn);
    expect((await ubs(owner, 'tag-resource', '--resource-arn', arn, '--tags', 'env=prod,team=ops')).stderr).toBe('');
    expect((await tagsOf()).json.Tags).toEqual({ ...created, env: 'prod', team: 'ops' });
    expect((await ubs(owner, 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team')).stderr).toBe('');
    expect((await tagsOf()).json.Tags).toEqual({ ...created, env: 'prod' });
    expect(errorCodeOf(await tagsOf(stranger))).toBe('ResourceNotFoundException');
    expect(errorCodeOf(await ubs(stranger, 'tag-resource', '--resource-arn', arn, '--tags', 'x=y'))).toBe(
      'ResourceNotFoundException',
    );
    expect(errorCodeOf(await ubs(stranger, 'untag-resource', '--resource-arn', arn, '--tag-keys', 'env'))).toBe(
      'ResourceNotFoundException',
    );
    expect((await tagsOf()).json.Tags).toEqual({ ...created, env: 'prod' });
  };

  beforeAll(async () => {
    directory = await startDirectory();
    system = await startSystem({ LM_DIRECTORY_LDAP_PORT: String(directory.port) });
  });
  afterAll(async () => {
    await system?.stop();
    await directory?.destroy();
  });

  it('registers a directory with a secret, subscribes users (with RDS SAL), tags both, and deregisters in the right order', async () => {
    const secret = await awsCli(system, owner, [
      'secretsmanager',
      'create-secret',
      '--name',
      'license-manager-user-admin',
      '--secret-string',
      JSON.stringify(ADMINISTRATOR),
    ]);
    expect(secret.stderr).toBe('');
    const provider = JSON.stringify({
      ActiveDirectoryIdentityProvider: {
        DirectoryId: directoryId,
        ActiveDirectoryType: 'AWS_MANAGED',
        ActiveDirectorySettings: {
          DomainName: directory.domainName,
          DomainIpv4List: [directory.host],
          DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: 'license-manager-user-admin' } },
          DomainNetworkSettings: { Subnets: ['subnet-0123456789abcdef0'] },
        },
      },
    });
    const registered = await ubs(
      owner,
      'register-identity-provider',
      '--product',
      'REMOTE_DESKTOP_SERVICES',
      '--identity-provider',
      provider,
      '--settings',
      'Subnets=subnet-0123456789abcdef0,SecurityGroupId=sg-0123456789abcdef0',
      '--tags',
      'owner=it',
    );
    expect(registered.stderr).toBe('');
    const rds = registered.json.IdentityProviderSummary;
    expect(rds).toMatchObject({
      Status: 'REGISTERING',
      Product: 'REMOTE_DESKTOP_SERVICES',
      OwnerAccountId: '222222222222',
    });
    expect(rds.IdentityProviderArn).toMatch(
      /^arn:aws:license-manager-user-subscriptions:us-east-1:222222222222:identity-provider\/[0-9a-f-]{36}$/,
    );
    // The guide's form: the DirectoryId alone, for a second product of the same directory.
    const vs = (
      await ubs(
        owner,
        'register-identity-provider',
        '--product',
        'VISUAL_STUDIO_ENTERPRISE',
        '--identity-provider',
        byId,
      )
    ).json.IdentityProviderSummary;
    const settled = await eventually(
      providers,
      (list) => list.length === 2 && list.every((p) => p.Status === 'REGISTERED'),
    );
    expect(settled.map((p) => [p.Product, p.Status]).sort()).toEqual([
      ['REMOTE_DESKTOP_SERVICES', 'REGISTERED'],
      ['VISUAL_STUDIO_ENTERPRISE', 'REGISTERED'],
    ]);
    expect(await providers(stranger)).toEqual([]);
    const updated = await ubs(
      owner,
      'update-identity-provider-settings',
      '--identity-provider-arn',
      rds.IdentityProviderArn,
      '--update-settings',
      JSON.stringify({ AddSubnets: ['subnet-0fedcba9876543210'], RemoveSubnets: ['subnet-0123456789abcdef0'] }),
    );
    expect(updated.json.IdentityProviderSummary.Settings).toEqual({
      Subnets: ['subnet-0fedcba9876543210'],
      SecurityGroupId: 'sg-0123456789abcdef0',
    });
    const foreign = await ubs(
      stranger,
      'deregister-identity-provider',
      '--identity-provider-arn',
      rds.IdentityProviderArn,
    );
    expect(errorCodeOf(foreign)).toBe('ResourceNotFoundException');
    await expectTagsTaken(rds.IdentityProviderArn, { owner: 'it' });

    const started = await ubs(
      owner,
      'start-product-subscription',
      '--username',
      'alice',
      '--product',
      'VISUAL_STUDIO_ENTERPRISE',
      '--identity-provider',
      byId,
    );
    expect(started.json.ProductUserSummary).toMatchObject({ Username: 'alice', Status: 'SUBSCRIBING' });
    const alice = await eventually(
      subscriptions,
      (list) => list.length === 2 && list.every((s) => s.Status === 'SUBSCRIBED'),
    );
    expect(alice.map((s) => [s.Username, s.Product, s.Status]).sort()).toEqual([
      ['alice', 'REMOTE_DESKTOP_SERVICES', 'SUBSCRIBED'],
      ['alice', 'VISUAL_STUDIO_ENTERPRISE', 'SUBSCRIBED'],
    ]);
    const nobody = await ubs(
      owner,
      'start-product-subscription',
      '--username',
      'nobody',
      '--product',
      'REMOTE_DESKTOP_SERVICES',
      '--identity-provider',
      byId,
    );
    expect(errorCodeOf(nobody)).toBe('ResourceNotFoundException');
    const again = await ubs(
      owner,
      'start-product-subscription',
      '--username',
      'alice',
      '--product',
      'VISUAL_STUDIO_ENTERPRISE',
      '--identity-provider',
      byId,
    );
    expect(errorCodeOf(again)).toBe('ConflictException');
    expect(await subscriptions(stranger)).toEqual([]);
    const touched = await ubs(stranger, 'stop-product-subscription', '--product-user-arn', alice[0].ProductUserArn);
    expect(errorCodeOf(touched)).toBe('ResourceNotFoundException');
    await expectTagsTaken(alice[0].ProductUserArn, {});

    const early = await ubs(owner, 'deregister-identity-provider', '--identity-provider-arn', vs.IdentityProviderArn);
    expect(errorCodeOf(early)).toBe('ConflictException');
    expect(early.stderr).toMatch(/1 user is still subscribed/);
    for (const subscription of alice) {
      const stopped = await ubs(owner, 'stop-product-subscription', '--product-user-arn', subscription.ProductUserArn);
      expect(stopped.json.ProductUserSummary.Status).toBe('UNSUBSCRIBING');
    }
    await eventually(subscriptions, (list) => list.every((s) => s.Status === 'UNSUBSCRIBED'));
    const gone = await ubs(owner, 'deregister-identity-provider', '--identity-provider-arn', vs.IdentityProviderArn);
    expect(gone.json.IdentityProviderSummary.Status).toBe('DEREGISTERING');
    const byDirectory = await ubs(
      owner,
      'deregister-identity-provider',
      '--identity-provider',
      byId,
      '--product',
      'REMOTE_DESKTOP_SERVICES',
    );
    expect(byDirectory.json.IdentityProviderSummary.Status).toBe('DEREGISTERING');
    expect(await eventually(providers, (list) => list.length === 0)).toEqual([]);
  }, 480_000);

  it("publishes every status and tag change on lm.events.user-subscriptions.*, never a secret's value", async () => {
    const nc = await connect({ servers: process.env.NATS_URL });
    try {
      const stream = eventsStreamName(system.natsNamespace);
      const prefix = `lm.${system.natsNamespace}.events.user-subscriptions.`;
      await (
        await nc.jetstreamManager()
      ).consumers.add(stream, {
        durable_name: 'e2e-user-subscriptions-reader',
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${prefix}>`,
      });
      const consumer = await nc.jetstream().consumers.get(stream, 'e2e-user-subscriptions-reader');
      const received: DomainEventMessage[] = [];
      for (;;) {
        const message = await consumer.next({ expires: 2_000 });
        if (!message) break;
        expect(message.subject.startsWith(prefix)).toBe(true);
        received.push(JSONCodec<DomainEventMessage>().decode(message.data));
        message.ack();
      }
      const typesOf = (product: string, kind: 'IdentityProvider' | 'Product') =>
        received
          .filter((event) => event.type.startsWith(kind) && (event.data as { product: string }).product === product)
          .map((event) => event.type);
      expect(typesOf('VISUAL_STUDIO_ENTERPRISE', 'IdentityProvider')).toEqual([
        'IdentityProviderRegistrationStarted',
        'IdentityProviderRegistered',
        'IdentityProviderDeregistrationStarted',
        'IdentityProviderDeregistered',
      ]);
      const products = ['VISUAL_STUDIO_ENTERPRISE', 'REMOTE_DESKTOP_SERVICES'];
      const tagChange = (type: string) => type.endsWith('Tagged') || type.endsWith('Untagged');
      for (const product of products)
        expect(typesOf(product, 'Product').filter((type) => !tagChange(type))).toEqual([
          'ProductSubscriptionRequested',
          'ProductSubscriptionSucceeded',
          'ProductUnsubscriptionRequested',
          'ProductUnsubscribed',
        ]);
      // The tags changed by TagResource and UntagResource in the first test: events of their aggregates.
      expect(products.flatMap((product) => typesOf(product, 'Product')).filter(tagChange)).toEqual([
        'ProductUserTagged',
        'ProductUserUntagged',
      ]);
      expect(typesOf('REMOTE_DESKTOP_SERVICES', 'IdentityProvider').filter(tagChange)).toEqual([
        'IdentityProviderTagged',
        'IdentityProviderUntagged',
      ]);
      expect(JSON.stringify(received)).not.toContain(ADMINISTRATOR.password);
    } finally {
      await nc.close();
    }
  });

  it('answers bad input on every operation with the modeled error, storing nothing (boto3)', async () => {
    const observed = JSON.parse(
      await boto3Script(system, accounts.outsider, join(__dirname, 'user-subscriptions-boto3.py'), [
        directory.domainName,
        directory.host,
        'license-manager-user-admin',
      ]),
    );
    const validation = { Code: 'ValidationException', Status: 400 };
    expect(observed).toEqual({
      wrong_union_member: validation,
      unknown_product: validation,
      three_addresses: validation,
      empty_subnets: validation,
      empty_settings_subnets: validation,
      self_managed_for_office: validation,
      malformed_arn: validation,
      malformed_product_user_arn: validation,
      // UpdateIdentityProviderSettings' model lists no ResourceNotFoundException: its stand-in.
      update_unknown: validation,
      start_unknown_product: validation,
      start_wrong_union_member: validation,
      list_bad_filter: validation,
      list_subscriptions_bad_filter: validation,
      list_subscriptions_unknown_product: validation,
      list_subscriptions_no_directory: validation,
      providers_after: [],
    });
  }, 120_000);
});
