import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { keyFingerprint, tokenTimestamp, verifyLicenseToken } from '@lm/license-token';
import type { Caller } from '@lm/contracts';
import { openServiceStorageOf, type Clock, type ServiceStorage, MasterKey } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantsService } from '../src/grants.service';
import { KeyStoreSigningKeys } from '../src/signing-keys/application/key-store-signing-keys';
import { ManagedSigningKey } from '../src/signing-keys/application/managed-signing-key';
import { SigningKeyCommands } from '../src/signing-keys/application/signing-key.commands';
import { SigningKeyMaterial } from '../src/signing-keys/application/signing-key-material';
import { SigningKeyQueries } from '../src/signing-keys/application/signing-key.queries';
import { MANAGED_KEY_ALIAS, managedKeyId } from '../src/signing-keys/domain/managed-key';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { NewStreamBatcher } from '@lm/event-store';

const clock: Clock = { now: () => new Date('2026-03-01T12:00:00Z') };
const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
});

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; message: string }) => error,
  );

describe('the managed signing key against PostgreSQL', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  const masterKey = new MasterKey(randomBytes(32));
  let queries: SigningKeyQueries;

  /** One service process: its own material cache and its own in-flight first uses. */
  const replica = () => {
    const material = new SigningKeyMaterial(infra.db, masterKey);
    const signingKeys = new KeyStoreSigningKeys(
      queries,
      material,
      new ManagedSigningKey(infra.store, clock, queries, material),
    );
    return {
      signingKeys,
      commands: new SigningKeyCommands(infra.store, clock, material, signingKeys, new NewStreamBatcher(infra.store)),
    };
  };

  const eventsOf = async (keyId: string) =>
    (
      await sql<{
        type: string;
        data: unknown;
      }>`select type, data from grants.events where stream_name = ${`signing-key-${keyId}`}`.execute(infra.db)
    ).rows;
  const materialRows = async (keyId: string) =>
    infra.db
      .withSchema('grants')
      .selectFrom('signing_key_material')
      .select('sealed')
      .where('key_id', '=', keyId)
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase('lm_grants');
    infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
    queries = new SigningKeyQueries(infra.db);
  });
  afterAll(async () => {
    await infra?.store.close();
    await infra?.db.destroy();
    await database?.drop();
  });

  it('is created once when many first uses race in two processes, and every one gets that key', async () => {
    const account = callerOf('555555555555');
    const keyId = managedKeyId(account.accountId, account.region);
    const [a, b] = [replica(), replica()];
    const issuerKeys = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).signingKeys.managedIssuerKey(account)),
    );

    const events = await eventsOf(keyId);
    expect(events.map((event) => event.type)).toEqual(['SigningKeyCreated']);
    expect(await materialRows(keyId)).toHaveLength(1);
    const publicKey = (await queries.getPublicKey(account, keyId)).PublicKey!;
    const der = Buffer.from(publicKey, 'base64');
    const expected = {
      keyArn: `arn:aws:kms:us-east-1:${account.accountId}:key/${keyId}`,
      keyFingerprint: keyFingerprint(account.accountId, der),
    };
    expect(issuerKeys).toEqual(Array.from({ length: 10 }, () => expected));
    expect((await queries.list(account, {})).Keys).toEqual([{ KeyId: keyId, KeyArn: expected.keyArn }]);

    // The recorded public half is the kept private half's: either process's tokens verify with it.
    const issued = new Date();
    const payload = {
      entitlementsAllowed: [{ name: 'Seats', unit: 'Count', value: '1' }],
      issuedAt: tokenTimestamp(issued),
      expiration: tokenTimestamp(new Date(issued.getTime() + 3600_000)),
      licenseArn: `arn:aws:license-manager::${account.accountId}:license:l-0123456789abcdef0123456789abcdef`,
      licenseConsumptionToken: 'c0ffee',
    };
    for (const { signingKeys } of [a, b, replica()])
      expect(verifyLicenseToken(await signingKeys.signToken(expected.keyArn, payload), der)).toEqual(payload);
    const [{ sealed }] = await materialRows(keyId);
    const pkcs8 = masterKey.open('signing-key', sealed!);
    expect(JSON.stringify(events)).not.toContain(pkcs8.toString('base64').slice(0, 64));
  });

  it('is an AWS managed key under alias/aws/license-manager, which its account cannot delete', async () => {
    const account = callerOf('666666666666');
    const { signingKeys, commands } = replica();
    expect(await errorOf(queries.describe(account, MANAGED_KEY_ALIAS))).toMatchObject({ code: 'NotFoundException' });
    const { keyArn } = await signingKeys.resolveIssuerKey(account, MANAGED_KEY_ALIAS);
    expect(await signingKeys.managedIssuerKey(account)).toMatchObject({ keyArn });
    const { KeyMetadata } = await queries.describe(account, MANAGED_KEY_ALIAS);
    expect(KeyMetadata).toMatchObject({
      Arn: keyArn,
      KeyManager: 'AWS',
      KeyState: 'Enabled',
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      Description: expect.stringMatching(/^Default key that signs License Manager licences/),
    });
    expect(await queries.getPublicKey(account, `arn:aws:kms:us-east-1:666666666666:${MANAGED_KEY_ALIAS}`)).toEqual(
      await queries.getPublicKey(account, keyArn),
    );
    expect(await errorOf(commands.scheduleDeletion(account, { KeyId: keyArn }))).toMatchObject({
      code: 'AccessDeniedException',
    });
    expect(await errorOf(queries.describe(callerOf('777777777777'), keyArn))).toMatchObject({
      code: 'NotFoundException',
    });
  });

  it('after a crash between keeping the private half and recording the key, records the public half of the one kept', async () => {
    const account = callerOf('888888888888');
    const keyId = managedKeyId(account.accountId, account.region);
    // What a process that died right after storeOnce left behind.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await new SigningKeyMaterial(infra.db, masterKey).storeOnce(keyId, privateKey);
    expect(await eventsOf(keyId)).toEqual([]);

    await replica().signingKeys.managedIssuerKey(account);
    const recorded = (await queries.getPublicKey(account, keyId)).PublicKey;
    const kept = createPublicKey(
      createPrivateKey({
        key: masterKey.open('signing-key', (await materialRows(keyId))[0]!.sealed),
        format: 'der',
        type: 'pkcs8',
      }),
    );
    expect(recorded).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64'));
    expect(recorded).toBe(kept.export({ type: 'spki', format: 'der' }).toString('base64'));
  });
});
