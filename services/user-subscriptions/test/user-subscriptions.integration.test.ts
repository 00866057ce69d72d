import { randomBytes } from 'node:crypto';
import type { UserSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { ManualClock, MasterKey, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeregistrationBlockers } from '../src/identity-providers/application/deregistration-blockers';
import { IdentityProviderCommands } from '../src/identity-providers/application/identity-provider.commands';
import { IdentityProviderQueries } from '../src/identity-providers/application/identity-provider.queries';
import { IdentityProviderSteps } from '../src/identity-providers/application/identity-provider.steps';
import { RegisteredDirectories } from '../src/identity-providers/application/registered-directories';
import { ldapDirectory } from '../src/identity-providers/infra/ldap-directory';
import { ProductSubscriptionCommands } from '../src/product-subscriptions/application/product-subscription.commands';
import { ProductSubscriptionQueries } from '../src/product-subscriptions/application/product-subscription.queries';
import { ProductSubscriptionSteps } from '../src/product-subscriptions/application/product-subscription.steps';
import { SubscribedUsersBlocker } from '../src/product-subscriptions/application/subscribed-users.blocker';
import { UnsubscribeBlockers } from '../src/product-subscriptions/application/unsubscribe-blockers';
import { SecretSealing } from '../src/secrets/application/secret-sealing';
import { SecretValues } from '../src/secrets/application/secret-values';
import { SecretCommands } from '../src/secrets/application/secret.commands';
import { SecretQueries } from '../src/secrets/application/secret.queries';
import { UserSubscriptionsService } from '../src/user-subscriptions.service';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from '../../../test/support/directory';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const region = 'us-east-1';
const callerOf = (accountId: string) =>
  ({ accountId, region, principalArn: `arn:aws:iam::${accountId}:root`, accessKeyId: `AKIA${accountId}` }) as Caller;
const owner = callerOf('111111111111');
const stranger = callerOf('222222222222');
const DIRECTORY_ID = 'd-0123456789';
const SECRET = 'license-manager-user-admin';

/**
 * Identity providers and product subscriptions on PostgreSQL, against a real directory (a private
 * slapd with Active Directory's tree, test/support/directory.ts) and real secrets (the secrets
 * slice, sealed with a master key): registration binds with the secret's credentials, users are
 * looked up in the directory, the steps settle what the requests start.
 */
describe('identity providers and product subscriptions against a real directory', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let directory: TestDirectory;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  let secrets: SecretCommands;
  let providers: IdentityProviderCommands;
  let providerQueries: IdentityProviderQueries;
  let providerSteps: IdentityProviderSteps;
  let subscriptions: ProductSubscriptionCommands;
  let subscriptionQueries: ProductSubscriptionQueries;
  let subscriptionSteps: ProductSubscriptionSteps;

  beforeAll(async () => {
    [database, directory] = await Promise.all([createTestDatabase('lm_user_subscriptions_ubs'), startDirectory()]);
    storage = await openServiceStorageOf(UserSubscriptionsService, { DATABASE_URL: database.url });
    const sealing = new SecretSealing(new MasterKey(randomBytes(32)));
    const secretQueries = new SecretQueries(storage.db, sealing);
    secrets = new SecretCommands(storage.store, clock, sealing, secretQueries);
    const ldap = ldapDirectory({ directoryLdapPort: directory.port });
    const directories = new RegisteredDirectories(storage.db, region, new SecretValues(region, secretQueries, sealing));
    const deregistrationBlockers = new DeregistrationBlockers();
    new SubscribedUsersBlocker(storage.db, deregistrationBlockers).onModuleInit();
    providerSteps = new IdentityProviderSteps(storage.db, storage.store, clock, ldap, directories);
    providers = new IdentityProviderCommands(
      storage.store,
      clock,
      region,
      directories,
      deregistrationBlockers,
      providerSteps,
    );
    providerQueries = new IdentityProviderQueries(storage.db, region);
    subscriptionSteps = new ProductSubscriptionSteps(storage.db, storage.store, clock, region, directories);
    subscriptions = new ProductSubscriptionCommands(
      storage.store,
      storage.db,
      clock,
      region,
      ldap,
      directories,
      new UnsubscribeBlockers(),
      subscriptionSteps,
    );
    subscriptionQueries = new ProductSubscriptionQueries(storage.db, region);
    await secrets.create(owner, { Name: SECRET, SecretString: JSON.stringify(ADMINISTRATOR) });
  });
  afterAll(async () => {
    await storage?.close();
    await Promise.all([database?.drop(), directory?.destroy()]);
  });

  const settings = (secretId = SECRET): UserSubscriptions.ActiveDirectorySettings => ({
    DomainName: directory.domainName,
    DomainIpv4List: [directory.host],
    DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: secretId } },
    DomainNetworkSettings: { Subnets: ['subnet-0123456789abcdef0'] },
  });
  const byId = { ActiveDirectoryIdentityProvider: { DirectoryId: DIRECTORY_ID } };
  const register = (product: string, caller = owner, provider: UserSubscriptions.IdentityProvider = byId) =>
    providers.register(caller, { Product: product, IdentityProvider: provider });
  const statusOf = async (arn: string, caller = owner) =>
    (await providerQueries.list(caller, {})).IdentityProviderSummaries.find((s) => s.IdentityProviderArn === arn);
  const listed = async (caller = owner, input: Partial<UserSubscriptions.ListProductSubscriptionsRequest> = {}) =>
    (await subscriptionQueries.list(caller, { IdentityProvider: byId, ...input })).ProductUserSummaries ?? [];
  const start = (username: string, product = 'REMOTE_DESKTOP_SERVICES', caller = owner) =>
    subscriptions.start(caller, { Username: username, Product: product, IdentityProvider: byId });

  it("registers a directory REGISTERING, then REGISTERED once bound with the secret's credentials; others see nothing", async () => {
    const { IdentityProviderSummary: summary } = await register('REMOTE_DESKTOP_SERVICES', owner, {
      ActiveDirectoryIdentityProvider: { DirectoryId: DIRECTORY_ID, ActiveDirectorySettings: settings() },
    });
    expect(summary).toMatchObject({
      Status: 'REGISTERING',
      Product: 'REMOTE_DESKTOP_SERVICES',
      OwnerAccountId: owner.accountId,
    });
    expect(summary.IdentityProviderArn).toMatch(
      /^arn:aws:license-manager-user-subscriptions:us-east-1:111111111111:identity-provider\/[0-9a-f-]{36}$/,
    );
    await providerSteps.sweep();
    expect(await statusOf(summary.IdentityProviderArn!)).toMatchObject({ Status: 'REGISTERED' });
    expect((await providerQueries.list(stranger, {})).IdentityProviderSummaries).toEqual([]);
    await expect(
      providers.deregister(stranger, { IdentityProviderArn: summary.IdentityProviderArn }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it("fails a registration with the directory's error, or the secret's, in FailureMessage", async () => {
    await secrets.create(owner, {
      Name: 'license-manager-user-wrong',
      SecretString: JSON.stringify({ username: 'Administrator', password: 'not-the-password' }),
    });
    await secrets.create(owner, { Name: 'license-manager-user-bare', SecretString: 'just a password' });
    const attempt = async (secretId: string, domainName = 'wrong.example.com') => {
      const { IdentityProviderSummary } = await register('REMOTE_DESKTOP_SERVICES', owner, {
        ActiveDirectoryIdentityProvider: {
          ActiveDirectoryType: 'SELF_MANAGED',
          ActiveDirectorySettings: { ...settings(secretId), DomainName: domainName },
        },
      });
      await providerSteps.sweep();
      return statusOf(IdentityProviderSummary.IdentityProviderArn!);
    };
    expect(await attempt('license-manager-user-wrong', directory.domainName)).toMatchObject({
      Status: 'FAILED',
      FailureMessage: expect.stringMatching(/invalid credentials \(LDAP result 49\)/),
    });
    expect(await attempt('license-manager-user-bare', 'bare.example.com')).toMatchObject({
      Status: 'FAILED',
      FailureMessage: expect.stringMatching(/keys username and password/),
    });
    expect(await attempt('license-manager-user-missing', 'missing.example.com')).toMatchObject({
      Status: 'FAILED',
      FailureMessage: expect.stringMatching(/does not exist/),
    });
  });

  it('subscribes a user the directory holds, SUBSCRIBING then SUBSCRIBED; refuses one it does not hold, storing nothing', async () => {
    const { ProductUserSummary: started } = await start('alice');
    expect(started).toMatchObject({ Username: 'alice', Status: 'SUBSCRIBING', Domain: directory.domainName });
    await subscriptionSteps.sweep();
    expect(await listed()).toEqual([
      expect.objectContaining({
        Username: 'alice',
        Status: 'SUBSCRIBED',
        SubscriptionStartDate: clock.now().toISOString(),
      }),
    ]);
    await expect(start('nobody')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    await expect(start('alice')).rejects.toMatchObject({ code: 'ConflictException' });
    expect(await listed()).toHaveLength(1);
    expect(await listed(stranger)).toEqual([]);
    await expect(start('alice', 'REMOTE_DESKTOP_SERVICES', stranger)).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });

  it('finds users added to the directory while it runs, and refuses clearly while it is down, storing nothing', async () => {
    await directory.addUser({ username: 'erin', displayName: 'Erin Example' });
    await directory.stop();
    try {
      await expect(start('erin')).rejects.toMatchObject({
        code: 'ValidationException',
        message: expect.stringMatching(/did not answer.*Nothing was subscribed/),
      });
      expect((await listed()).map((s) => s.Username)).toEqual(['alice']);
    } finally {
      await directory.start();
    }
    expect((await start('erin')).ProductUserSummary.Status).toBe('SUBSCRIBING');
    await subscriptionSteps.sweep();
  });

  it('gives two concurrent Starts for one user and product one subscription', async () => {
    const outcomes = await Promise.allSettled([start('bob'), start('BOB')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'ConflictException' } });
    await subscriptionSteps.sweep();
    expect((await listed(owner, { Filters: [{ Attribute: 'Username', Operation: 'eq', Value: 'Bob' }] })).length).toBe(
      1,
    );
  });

  it('subscribes a Visual Studio user to RDS SAL too, since the account has the directory registered for it', async () => {
    const { IdentityProviderSummary } = await register('VISUAL_STUDIO_PROFESSIONAL');
    await providerSteps.sweep();
    expect(await statusOf(IdentityProviderSummary.IdentityProviderArn!)).toMatchObject({ Status: 'REGISTERED' });
    await directory.addUser({ username: 'grace', displayName: 'Grace Hopper' });
    await start('grace', 'VISUAL_STUDIO_PROFESSIONAL');
    await subscriptionSteps.sweep();
    await subscriptionSteps.sweep();
    const graces = (await listed(owner, { Filters: [{ Attribute: 'Username', Value: 'grace' }] })).map((s) => [
      s.Product,
      s.Status,
    ]);
    expect(graces.sort()).toEqual([
      ['REMOTE_DESKTOP_SERVICES', 'SUBSCRIBED'],
      ['VISUAL_STUDIO_PROFESSIONAL', 'SUBSCRIBED'],
    ]);
  });

  it('refuses to deregister while users are subscribed; unsubscribes, then deregisters DEREGISTERING to gone', async () => {
    const { IdentityProviderSummary: vs } = await providers
      .deregister(owner, {
        IdentityProvider: byId,
        Product: 'VISUAL_STUDIO_PROFESSIONAL',
      })
      .catch((error) => ({ IdentityProviderSummary: { error } as never }));
    expect((vs as { error: unknown }).error).toMatchObject({
      code: 'ConflictException',
      message: /1 user is still subscribed/,
    });
    clock.advance(3600_000);
    const { ProductUserSummary: stopping } = await subscriptions.stop(owner, {
      Username: 'grace',
      Product: 'VISUAL_STUDIO_PROFESSIONAL',
      IdentityProvider: byId,
    });
    expect(stopping.Status).toBe('UNSUBSCRIBING');
    await subscriptionSteps.sweep();
    const [grace] = await listed(owner, { Product: 'VISUAL_STUDIO_PROFESSIONAL' });
    expect(grace).toMatchObject({ Status: 'UNSUBSCRIBED', SubscriptionEndDate: clock.now().toISOString() });
    await expect(subscriptions.stop(owner, { ProductUserArn: grace.ProductUserArn })).rejects.toMatchObject({
      code: 'ConflictException',
    });
    const { IdentityProviderSummary: deregistering } = await providers.deregister(owner, {
      IdentityProvider: byId,
      Product: 'VISUAL_STUDIO_PROFESSIONAL',
    });
    expect(deregistering.Status).toBe('DEREGISTERING');
    await providerSteps.sweep();
    const remaining = await providerQueries.list(owner, {
      Filters: [{ Attribute: 'Product', Operation: 'eq', Value: 'VISUAL_STUDIO_PROFESSIONAL' }],
    });
    expect(remaining.IdentityProviderSummaries).toEqual([]);
  });

  it("manages subscriptions only in the directory owner's account, not through a shared directory", async () => {
    const shared = { ActiveDirectoryIdentityProvider: { DirectoryId: 'd-5555555555' } };
    await secrets.create(stranger, { Name: SECRET, SecretString: JSON.stringify(ADMINISTRATOR) });
    await providers.register(stranger, {
      Product: 'REMOTE_DESKTOP_SERVICES',
      IdentityProvider: {
        ActiveDirectoryIdentityProvider: {
          ...shared.ActiveDirectoryIdentityProvider,
          IsSharedActiveDirectory: true,
          ActiveDirectorySettings: settings(),
        },
      },
    });
    await providerSteps.sweep();
    await expect(
      subscriptions.start(stranger, {
        Username: 'alice',
        Product: 'REMOTE_DESKTOP_SERVICES',
        IdentityProvider: shared,
      }),
    ).rejects.toMatchObject({ code: 'ValidationException', message: /managed only in the directory owner's account/ });
    expect(await listed(stranger, { IdentityProvider: shared })).toEqual([]);
  });

  it('pages identity providers and refuses an unknown filter', async () => {
    const first = await providerQueries.list(owner, { MaxResults: 1 });
    expect(first.IdentityProviderSummaries).toHaveLength(1);
    const second = await providerQueries.list(owner, { MaxResults: 1, NextToken: first.NextToken });
    expect(second.IdentityProviderSummaries[0].IdentityProviderArn).not.toBe(
      first.IdentityProviderSummaries[0].IdentityProviderArn,
    );
    await expect(providerQueries.list(owner, { Filters: [{ Attribute: 'Status', Value: 'X' }] })).rejects.toMatchObject(
      {
        code: 'ValidationException',
      },
    );
    await expect(providerQueries.list(stranger, { NextToken: first.NextToken })).rejects.toMatchObject({
      code: 'ValidationException',
    });
  });
});
