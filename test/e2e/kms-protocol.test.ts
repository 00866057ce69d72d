import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, rawRequest } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/** The KMS subset (licence signing keys) through the AWS CLI, unchanged: `aws kms ... --endpoint-url`. */
describe('KMS signing keys through the AWS CLI', () => {
  let system: RunningSystem;
  const kms = (account: (typeof accounts)[keyof typeof accounts], ...args: string[]) =>
    awsCli(system, account, ['kms', ...args]);

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('creates, describes, exports, lists and schedules the deletion of an RSA_3072 SIGN_VERIFY key', async () => {
    const created = await kms(
      accounts.member,
      'create-key',
      '--key-spec',
      'RSA_3072',
      '--key-usage',
      'SIGN_VERIFY',
      '--description',
      'licence issuer',
    );
    expect(created.stderr).toBe('');
    const metadata = created.json.KeyMetadata;
    expect(metadata).toMatchObject({
      AWSAccountId: '222222222222',
      Description: 'licence issuer',
      KeySpec: 'RSA_3072',
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      Enabled: true,
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
    });
    expect(metadata.Arn).toBe(`arn:aws:kms:${system.region}:222222222222:key/${metadata.KeyId}`);
    expect(metadata.SigningAlgorithms).toEqual(
      expect.arrayContaining(['RSASSA_PSS_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_256']),
    );
    // AWS CLI v1 prints timestamps as they travel in awsJson: epoch seconds.
    expect(metadata.CreationDate * 1000).toBeGreaterThan(Date.now() - 5 * 60_000);

    const described = await kms(accounts.member, 'describe-key', '--key-id', metadata.Arn);
    expect(described.json.KeyMetadata).toEqual(metadata);

    const exported = await kms(accounts.member, 'get-public-key', '--key-id', metadata.KeyId);
    expect(exported.json).toMatchObject({ KeyId: metadata.Arn, KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' });
    // Blobs travel base64 in awsJson: the CLI prints them base64, a DER SubjectPublicKeyInfo.
    const publicKey = createPublicKey({
      key: Buffer.from(exported.json.PublicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);

    const listed = await kms(accounts.member, 'list-keys');
    expect(listed.json.Keys).toContainEqual({ KeyId: metadata.KeyId, KeyArn: metadata.Arn });

    const scheduled = await kms(
      accounts.member,
      'schedule-key-deletion',
      '--key-id',
      metadata.KeyId,
      '--pending-window-in-days',
      '7',
    );
    expect(scheduled.stderr).toBe('');
    expect(scheduled.json).toMatchObject({ KeyId: metadata.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    const deletionDays = (scheduled.json.DeletionDate * 1000 - Date.now()) / 86_400_000;
    expect(deletionDays).toBeGreaterThan(6.9);
    expect(deletionDays).toBeLessThan(7.1);
    expect((await kms(accounts.member, 'describe-key', '--key-id', metadata.KeyId)).json.KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
    });
  });

  it('answers NotFoundException for an unknown key, and for a key of another account', async () => {
    const unknown = await kms(accounts.member, 'describe-key', '--key-id', '00000000-0000-0000-0000-000000000000');
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/\(NotFoundException\) when calling the DescribeKey operation/);

    const created = await kms(accounts.member, 'create-key', '--key-spec', 'RSA_2048', '--key-usage', 'SIGN_VERIFY');
    const { KeyId: keyId, Arn: arn } = created.json.KeyMetadata;
    for (const key of [keyId, arn]) {
      const other = await kms(accounts.outsider, 'get-public-key', '--key-id', key);
      expect(other.exitCode).not.toBe(0);
      expect(other.stderr).toMatch(/\(NotFoundException\)/);
    }
    const otherList = await kms(accounts.outsider, 'list-keys');
    expect(otherList.json.Keys.map((entry: { KeyId: string }) => entry.KeyId)).not.toContain(keyId);
  });

  it('answers KMS errors in KMS form: validation, unsupported specs', async () => {
    const window = await kms(
      accounts.member,
      'schedule-key-deletion',
      '--key-id',
      'anything',
      '--pending-window-in-days',
      '3',
    );
    expect(window.stderr).toMatch(/\(ValidationException\).*pendingWindowInDays.*greater than or equal to 7/);

    const ecc = await kms(accounts.member, 'create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY');
    expect(ecc.exitCode).not.toBe(0);
    expect(ecc.stderr).toMatch(
      /\(UnsupportedOperationException\) when calling the CreateKey operation.*: KeySpec ECC_NIST_P256 is not supported/,
    );

    const response = await rawRequest(system, {
      account: accounts.member,
      service: 'kms',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.DescribeKey' },
      body: JSON.stringify({ KeyId: 'missing-key' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-amz-json-1.1/);
    expect(response.json).toEqual({ __type: 'NotFoundException', message: expect.stringContaining('missing-key') });
  });
});
