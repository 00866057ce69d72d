import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { Kms } from '@lm/api-model';
import { keyFingerprint, tokenTimestamp, verifyLicenseToken, type LicenseTokenPayload } from '@lm/license-token';
import type { Caller } from '@lm/contracts';
import type { Clock } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MasterKey, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { SigningKeyMaterial } from '../src/signing-keys/application/signing-key-material';
import { SigningKeyCommands } from '../src/signing-keys/application/signing-key.commands';
import { KeyStoreSigningKeys } from '../src/signing-keys/application/key-store-signing-keys';
import { ManagedSigningKey } from '../src/signing-keys/application/managed-signing-key';
import { SigningKeyQueries } from '../src/signing-keys/application/signing-key.queries';
import { GrantsService } from '../src/grants.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { NewStreamBatcher } from '@lm/event-store';

const now = new Date('2026-03-01T12:00:00Z');
const clock: Clock = { now: () => now };

const callerOf = (accountId: string, region = 'us-east-1'): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region,
});
const seller = callerOf('111111111111');
const other = callerOf('222222222222');

const payloadAt = (issued: Date): LicenseTokenPayload => ({
  entitlementsAllowed: [{ name: 'Seats', unit: 'Count', value: '1' }],
  issuedAt: tokenTimestamp(issued),
  expiration: tokenTimestamp(new Date(issued.getTime() + 3600_000)),
  licenseArn: 'arn:aws:license-manager::111111111111:license:l-0123456789abcdef0123456789abcdef',
  licenseConsumptionToken: 'c0ffee',
});

const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; message: string; fields?: object }) => error,
  );

describe('signing keys against PostgreSQL', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  const masterKey = new MasterKey(randomBytes(32));
  let queries: SigningKeyQueries;
  let material: SigningKeyMaterial;
  let signingKeys: KeyStoreSigningKeys;
  let commands: SigningKeyCommands;
  let key: Kms.KeyMetadata;

  /** The signing keys as a service process holds them, over its own material cache. */
  const keyStoreOver = (keyMaterial: SigningKeyMaterial) =>
    new KeyStoreSigningKeys(queries, keyMaterial, new ManagedSigningKey(infra.store, clock, queries, keyMaterial));

  const createKey = (caller: Caller, input: Kms.CreateKeyRequest = { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }) =>
    commands.create(caller, input).then((output) => output.KeyMetadata!);

  beforeAll(async () => {
    database = await createTestDatabase('lm_grants');
    infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
    queries = new SigningKeyQueries(infra.db);
    material = new SigningKeyMaterial(infra.db, masterKey);
    signingKeys = keyStoreOver(material);
    commands = new SigningKeyCommands(infra.store, clock, material, signingKeys, new NewStreamBatcher(infra.store));
    key = await createKey(seller, { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', Description: 'issuer key' });
  });
  afterAll(async () => {
    await infra?.store.close();
    await infra?.db.destroy();
    await database?.drop();
  });

  it('describes a created key like KMS, by id and by ARN', async () => {
    expect(key).toEqual({
      AWSAccountId: seller.accountId,
      KeyId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      Arn: `arn:aws:kms:us-east-1:${seller.accountId}:key/${key.KeyId}`,
      CreationDate: now.getTime() / 1000,
      Enabled: true,
      Description: 'issuer key',
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'RSA_3072',
      KeySpec: 'RSA_3072',
      SigningAlgorithms: [
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
        'RSASSA_PSS_SHA_512',
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
      ],
      MultiRegion: false,
    });
    expect(await queries.describe(seller, key.KeyId)).toEqual({ KeyMetadata: key });
    expect(await queries.describe(seller, key.Arn!)).toEqual({ KeyMetadata: key });
  });

  it('signs a token that verifies offline with nothing but GetPublicKey’s DER', async () => {
    const publicKey = await queries.getPublicKey(seller, key.KeyId);
    expect(publicKey).toMatchObject({ KeyId: key.Arn, KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' });
    const der = Buffer.from(publicKey.PublicKey!, 'base64');
    expect(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(3072);

    const issuer = await signingKeys.resolveIssuerKey(seller, key.KeyId);
    expect(issuer).toEqual({ keyArn: key.Arn, keyFingerprint: keyFingerprint(seller.accountId, der) });
    expect(await signingKeys.resolveIssuerKey(seller, key.Arn!)).toEqual(issuer);

    const payload = payloadAt(new Date());
    const token = await signingKeys.signToken(issuer.keyArn, payload);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
      alg: 'PS384',
      typ: 'JWT',
      kid: key.Arn,
    });
    expect(verifyLicenseToken(token, der, { licenseArn: payload.licenseArn })).toEqual(payload);
  });

  it('keeps the private half sealed: not in the material table in plain, nor in any event', async () => {
    const { sealed } = await infra.db
      .withSchema('grants')
      .selectFrom('signing_key_material')
      .select('sealed')
      .where('key_id', '=', key.KeyId)
      .executeTakeFirstOrThrow();
    const pkcs8 = masterKey.open('signing-key', sealed);
    expect(
      createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
        .export({ type: 'spki', format: 'der' })
        .toString('base64'),
    ).toBe((await queries.getPublicKey(seller, key.KeyId)).PublicKey);
    expect(Buffer.from(sealed, 'base64').includes(pkcs8)).toBe(false);
    expect(sealed).not.toContain(pkcs8.toString('base64').slice(0, 64));
    expect(() => new MasterKey(randomBytes(32)).open('signing-key', sealed)).toThrow();
    const events = await sql<{ type: string; data: unknown }>`select type, data from grants.events`.execute(infra.db);
    const recorded = JSON.stringify(events.rows);
    expect(recorded).toContain('SigningKeyCreated');
    expect(recorded).not.toContain(pkcs8.toString('base64').slice(0, 64));
    expect(recorded).not.toContain(sealed.slice(0, 64));
  });

  it('signs from memory once the key is opened, and a new process opens it with the same master key', async () => {
    const payload = payloadAt(new Date());
    const der = Buffer.from((await queries.getPublicKey(seller, key.KeyId)).PublicKey!, 'base64');
    const restarted = keyStoreOver(new SigningKeyMaterial(infra.db, masterKey));
    expect(verifyLicenseToken(await restarted.signToken(key.Arn!, payload), der)).toEqual(payload);

    const cached = await createKey(seller);
    await signingKeys.signToken(cached.Arn!, payload);
    // With its row gone, only memory can still sign with the key.
    await infra.db.withSchema('grants').deleteFrom('signing_key_material').where('key_id', '=', cached.KeyId).execute();
    const cachedDer = Buffer.from((await queries.getPublicKey(seller, cached.KeyId)).PublicKey!, 'base64');
    expect(verifyLicenseToken(await signingKeys.signToken(cached.Arn!, payload), cachedDer)).toEqual(payload);
  });

  it('reads and opens a key once for many concurrent signatures', async () => {
    const reads = vi.spyOn(queries, 'byArn');
    const opens = vi.spyOn(masterKey, 'open');
    const fresh = keyStoreOver(new SigningKeyMaterial(infra.db, masterKey));
    const der = Buffer.from((await queries.getPublicKey(seller, key.KeyId)).PublicKey!, 'base64');
    const payload = payloadAt(new Date());
    const tokens = await Promise.all(Array.from({ length: 50 }, () => fresh.signToken(key.Arn!, payload)));
    expect(tokens.every((token) => verifyLicenseToken(token, der).licenseArn === payload.licenseArn)).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(opens).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    opens.mockRestore();
  });

  it('shows another account nothing: NotFoundException, and no issuer key', async () => {
    for (const reference of [key.KeyId, key.Arn!]) {
      expect(await errorOf(queries.describe(other, reference))).toMatchObject({ code: 'NotFoundException' });
      expect(await errorOf(queries.getPublicKey(other, reference))).toMatchObject({ code: 'NotFoundException' });
      expect(await errorOf(commands.scheduleDeletion(other, { KeyId: reference }))).toMatchObject({
        code: 'NotFoundException',
      });
      expect(await errorOf(signingKeys.resolveIssuerKey(other, reference))).toMatchObject({
        code: 'InvalidParameterValueException',
      });
    }
    expect(await errorOf(queries.describe(callerOf(seller.accountId, 'eu-west-1'), key.KeyId))).toMatchObject({
      code: 'NotFoundException',
    });
    expect(
      await errorOf(signingKeys.resolveIssuerKey(seller, 'arn:aws:kms:us-east-1:111111111111:alias/x')),
    ).toMatchObject({
      code: 'InvalidParameterValueException',
    });
    expect((await queries.list(other, {})).Keys).toEqual([]);
  });

  it('lists keys a page at a time with Limit and Marker', async () => {
    const lister = callerOf('333333333333');
    const created = [
      await createKey(lister),
      await createKey(lister),
      await createKey(lister, { CustomerMasterKeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' }),
    ];
    expect(created[2]!.KeySpec).toBe('RSA_4096');
    const first = await queries.list(lister, { Limit: 2 });
    expect(first).toMatchObject({ Truncated: true, NextMarker: expect.any(String) });
    const second = await queries.list(lister, { Limit: 2, Marker: first.NextMarker });
    expect(second).toMatchObject({ Truncated: false, NextMarker: undefined });
    const listed = [...first.Keys!, ...second.Keys!];
    expect(listed.map((k) => k.KeyArn).sort()).toEqual(created.map((k) => k.Arn).sort());
    expect(listed.every((k) => k.KeyArn!.endsWith(`/${k.KeyId}`))).toBe(true);
    expect(await errorOf(queries.list(lister, { Marker: 'not-a-marker' }))).toMatchObject({
      code: 'InvalidMarkerException',
    });
    expect(await errorOf(queries.list(other, { Marker: first.NextMarker }))).toMatchObject({
      code: 'InvalidMarkerException',
    });
  });

  it('stops signing once deletion is scheduled, yet keeps the key so that earlier tokens still verify', async () => {
    const retiring = await createKey(seller, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const payload = payloadAt(new Date());
    const earlier = await signingKeys.signToken(retiring.Arn!, payload);

    expect(await commands.scheduleDeletion(seller, { KeyId: retiring.Arn!, PendingWindowInDays: 7 })).toEqual({
      KeyId: retiring.Arn,
      DeletionDate: now.getTime() / 1000 + 7 * 86400,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    expect((await queries.describe(seller, retiring.KeyId)).KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      DeletionDate: now.getTime() / 1000 + 7 * 86400,
    });
    expect(await errorOf(signingKeys.signToken(retiring.Arn!, payload))).toMatchObject({
      code: 'FailedDependencyException',
      fields: { ErrorCode: 'KMSInvalidStateException' },
    });
    expect(await errorOf(signingKeys.resolveIssuerKey(seller, retiring.KeyId))).toMatchObject({
      code: 'InvalidParameterValueException',
      message: expect.stringMatching(/PendingDeletion/),
    });
    expect(await errorOf(commands.scheduleDeletion(seller, { KeyId: retiring.KeyId }))).toMatchObject({
      code: 'KMSInvalidStateException',
    });

    const der = Buffer.from((await queries.getPublicKey(seller, retiring.KeyId)).PublicKey!, 'base64');
    expect(verifyLicenseToken(earlier, der)).toEqual(payload);
    expect((await queries.list(seller, {})).Keys!.map((k) => k.KeyId)).toContain(retiring.KeyId);
  });

  it('stops another replica signing within 5 s of a deletion, whatever the wall clock does meanwhile', async () => {
    const retiring = await createKey(seller, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const replica = keyStoreOver(new SigningKeyMaterial(infra.db, masterKey));
    const payload = payloadAt(new Date());
    // Only the clocks are faked: the database's sockets and timers run as ever.
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    try {
      await replica.signToken(retiring.Arn!, payload);
      await commands.scheduleDeletion(seller, { KeyId: retiring.Arn!, PendingWindowInDays: 7 });
      // The host's clock steps back three hours (setSystemTime leaves the monotonic clock alone), then 6 s pass.
      vi.setSystemTime(Date.now() - 3 * 3600_000);
      vi.advanceTimersByTime(6_000);
      expect(await errorOf(replica.signToken(retiring.Arn!, payload))).toMatchObject({
        code: 'FailedDependencyException',
        fields: { ErrorCode: 'KMSInvalidStateException' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses keys it does not make, naming what it makes', async () => {
    expect(await errorOf(commands.create(seller, {}))).toMatchObject({
      code: 'UnsupportedOperationException',
      message: expect.stringMatching(/RSA_2048, RSA_3072 and RSA_4096/),
    });
    expect(await errorOf(commands.create(seller, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).toMatchObject({
      code: 'UnsupportedOperationException',
    });
  });
});
