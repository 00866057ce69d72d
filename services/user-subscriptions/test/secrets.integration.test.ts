import { randomBytes } from 'node:crypto';
import { ManualClock, MasterKey, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import type { Caller } from '@lm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretPurgeSweep } from '../src/secrets/application/secret-purge.sweep';
import { SecretSealing } from '../src/secrets/application/secret-sealing';
import { SecretUnavailableError, SecretValues } from '../src/secrets/application/secret-values';
import { SecretCommands } from '../src/secrets/application/secret.commands';
import { SecretQueries } from '../src/secrets/application/secret.queries';
import { UserSubscriptionsService } from '../src/user-subscriptions.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const DAY = 24 * 3600_000;
const region = 'us-east-1';
const caller = (accountId: string) => ({ accountId, region }) as Caller;
const alice = caller('111111111111');
const bob = caller('222222222222');
const credentials = '{"username":"Administrator","password":"s3cr3t-for-the-directory"}';

describe('secrets on PostgreSQL: the purge after the recovery window, and SecretValues for the other slices', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let clock: ManualClock;
  let commands: SecretCommands;
  let values: SecretValues;
  let sweep: SecretPurgeSweep;

  beforeAll(async () => {
    database = await createTestDatabase('lm_user_subscriptions_secrets');
    storage = await openServiceStorageOf(UserSubscriptionsService, { DATABASE_URL: database.url });
    clock = new ManualClock(new Date('2026-06-01T00:00:00Z'));
    const sealing = new SecretSealing(new MasterKey(randomBytes(32)));
    const queries = new SecretQueries(storage.db, sealing);
    commands = new SecretCommands(storage.store, clock, sealing, queries);
    values = new SecretValues(region, queries, sealing);
    sweep = new SecretPurgeSweep(storage.db, storage.store, clock);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('gives the current value to the owner account only, by name or ARN, and nothing once it is scheduled for deletion', async () => {
    const { ARN } = await commands.create(alice, { Name: 'license-manager-user-admin', SecretString: credentials });
    expect(await values.read(alice.accountId, 'license-manager-user-admin')).toBe(credentials);
    expect(await values.read(alice.accountId, ARN!)).toBe(credentials);
    await expect(values.read(bob.accountId, ARN!)).rejects.toThrow(SecretUnavailableError);
    await expect(values.read(bob.accountId, 'license-manager-user-admin')).rejects.toThrow(/does not exist/);

    await commands.delete(alice, { SecretId: ARN!, RecoveryWindowInDays: 7 });
    await expect(values.read(alice.accountId, ARN!)).rejects.toThrow(/scheduled for deletion/);
  });

  it('creates one secret of a name when ten creations of it are in flight at once: the others find it exists', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        commands.create(alice, {
          Name: 'raced',
          SecretString: `value ${i}`,
          ClientRequestToken: `${'t'.repeat(31)}${i}`,
        }),
      ),
    );
    const created = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const outcome of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected'))
      expect(outcome.reason).toMatchObject({ code: 'ResourceExistsException' });
    const winner = Number(created[0].value.VersionId!.slice(-1));
    expect(await values.read(alice.accountId, 'raced')).toBe(`value ${winner}`);
  });

  it('keeps a secret through its recovery window, then deletes it for good, its sealed values with it, and frees its name', async () => {
    const { ARN } = await commands.create(alice, { Name: 'ldap/bind', SecretString: credentials });
    await commands.delete(alice, { SecretId: 'ldap/bind', RecoveryWindowInDays: 10 });
    const row = () =>
      storage.db.withSchema('user_subscriptions').selectFrom('secrets').selectAll().where('arn', '=', ARN!).execute();
    // Sealed at rest: the view never holds the plaintext.
    expect(JSON.stringify(await row())).not.toContain('s3cr3t-for-the-directory');

    // A minute short of 10 days: only the secret of the first test (7 days) goes.
    clock.advance(10 * DAY - 60_000);
    expect(await sweep.sweep()).toBe(1);
    expect(await row()).toHaveLength(1);

    clock.advance(60_000);
    expect(await sweep.sweep()).toBe(1);
    expect(await row()).toHaveLength(0);
    expect(await sweep.sweep()).toBe(0);

    const again = await commands.create(alice, { Name: 'ldap/bind', SecretString: 'new' });
    expect(again.ARN).not.toBe(ARN);
    expect(await values.read(alice.accountId, 'ldap/bind')).toBe('new');
    // The former ARN names the secret that was deleted, not the new one of the same name.
    await expect(values.read(alice.accountId, ARN!)).rejects.toThrow(/does not exist/);
  });
});
