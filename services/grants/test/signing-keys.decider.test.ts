import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { SigningKeyCommand } from '../src/signing-keys/domain/commands';
import { signingKeyDecider as decider } from '../src/signing-keys/domain/decide';
import { requestedSigningKeySpec } from '../src/signing-keys/domain/key-spec';
import { ownKeyId } from '../src/signing-keys/domain/arn';
import { MANAGED_KEY_ALIAS, managedKeyId } from '../src/signing-keys/domain/managed-key';

const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const arn = `arn:aws:kms:us-east-1:111111111111:key/${keyId}`;
const owner = { accountId: '111111111111', region: 'us-east-1' };
const now = new Date('2026-01-01T00:00:00Z');

const create: SigningKeyCommand = {
  type: 'CreateSigningKey',
  key: {
    keyId,
    arn,
    accountId: owner.accountId,
    region: owner.region,
    keySpec: 'RSA_2048',
    keyUsage: 'SIGN_VERIFY',
    description: 'issuer key',
    createdAt: now.toISOString(),
    publicKey: 'MIIBIjAN',
    fingerprint: 'aws:111111111111:issuer:00',
  },
};
const scheduleDeletion = (pendingWindowInDays?: number, by = owner): SigningKeyCommand => ({
  type: 'ScheduleSigningKeyDeletion',
  keyArn: arn,
  owner: by,
  pendingWindowInDays,
  now,
});

const { given } = DeciderSpecification.for(decider);

describe('signing key decider', () => {
  const [created] = given([]).when(create).decided();
  const [scheduled] = given([created]).when(scheduleDeletion(7)).decided();

  it('records an Enabled key with its public half only', () => {
    given([])
      .when(create)
      .then([{ type: 'SigningKeyCreated', data: create.key }]);
    expect(JSON.stringify(created)).not.toMatch(/private|pkcs8/i);
    expect(given([created]).state).toEqual({ status: 'present', key: { ...create.key, keyState: 'Enabled' } });
  });

  it('refuses to record a key twice', () => {
    given([created]).when(create).thenThrows({ code: 'KMSInvalidStateException' });
  });

  it('schedules deletion after 30 days by default, or the window asked for (7 to 30)', () => {
    given([created])
      .when(scheduleDeletion())
      .then([
        {
          type: 'SigningKeyDeletionScheduled',
          data: { deletionDate: '2026-01-31T00:00:00.000Z', pendingWindowInDays: 30, scheduledAt: now.toISOString() },
        },
      ]);
    expect(scheduled).toMatchObject({ data: { deletionDate: '2026-01-08T00:00:00.000Z', pendingWindowInDays: 7 } });
    for (const window of [6, 31, 7.5]) {
      given([created]).when(scheduleDeletion(window)).thenThrows({ code: 'ValidationException' });
    }
  });

  it('keeps the key, PendingDeletion, and refuses to schedule its deletion twice', () => {
    expect(given([created, scheduled]).state).toEqual({
      status: 'present',
      key: { ...create.key, keyState: 'PendingDeletion', deletionDate: '2026-01-08T00:00:00.000Z' },
    });
    given([created, scheduled]).when(scheduleDeletion()).thenThrows({ code: 'KMSInvalidStateException' });
  });

  it('does not disclose a key to another account or Region', () => {
    given([created])
      .when(scheduleDeletion(30, { ...owner, accountId: '222222222222' }))
      .thenThrows({ code: 'NotFoundException' });
    given([created])
      .when(scheduleDeletion(30, { ...owner, region: 'eu-west-1' }))
      .thenThrows({ code: 'NotFoundException' });
    given([])
      .when(scheduleDeletion())
      .thenThrows({ code: 'NotFoundException', message: `Key '${arn}' does not exist` });
  });
});

describe('the managed signing key', () => {
  const managedId = managedKeyId(owner.accountId, owner.region);
  const managedArn = `arn:aws:kms:us-east-1:111111111111:key/${managedId}`;
  const keyOf = (publicKey: string) => ({
    ...create.key,
    keyId: managedId,
    arn: managedArn,
    description: 'managed',
    publicKey,
    fingerprint: `aws:111111111111:issuer:${publicKey}`,
  });
  const createManaged = (publicKey = 'first'): SigningKeyCommand => ({
    type: 'CreateManagedSigningKey',
    key: keyOf(publicKey),
  });
  const [managedCreated] = given([]).when(createManaged()).decided();

  it('is recorded on its first use, managed by AWS', () => {
    given([])
      .when(createManaged())
      .then([{ type: 'SigningKeyCreated', data: { ...keyOf('first'), keyManager: 'AWS' } }]);
    expect(given([managedCreated]).state).toEqual({
      status: 'present',
      key: { ...keyOf('first'), keyManager: 'AWS', keyState: 'Enabled' },
    });
  });

  it('is recorded once: a later first use, with whatever key pair, decides nothing and leaves the key as it was', () => {
    given([managedCreated]).when(createManaged('second')).thenNothing();
    given([managedCreated])
      .when(createManaged('second'))
      .thenState({ status: 'present', key: { ...keyOf('first'), keyManager: 'AWS', keyState: 'Enabled' } });
  });

  it('cannot be scheduled for deletion by its account, as KMS refuses for AWS managed keys', () => {
    given([managedCreated])
      .when({ type: 'ScheduleSigningKeyDeletion', keyArn: managedArn, owner, now })
      .thenThrows({ code: 'AccessDeniedException', message: new RegExp(`AWS managed key \\(${MANAGED_KEY_ALIAS}\\)`) });
  });

  it('has one id per account and Region, a key id as KMS writes them', () => {
    expect(managedKeyId(owner.accountId, owner.region)).toBe(managedId);
    expect(managedId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(managedKeyId('222222222222', owner.region)).not.toBe(managedId);
    expect(managedKeyId(owner.accountId, 'eu-west-1')).not.toBe(managedId);
  });

  it('is named by its alias, or the alias ARN, in its own account and Region only', () => {
    expect(ownKeyId(MANAGED_KEY_ALIAS, owner)).toBe(managedId);
    expect(ownKeyId(`arn:aws:kms:us-east-1:111111111111:${MANAGED_KEY_ALIAS}`, owner)).toBe(managedId);
    expect(ownKeyId(MANAGED_KEY_ALIAS, { ...owner, accountId: '222222222222' })).toBe(
      managedKeyId('222222222222', owner.region),
    );
  });
});

describe('CreateKey key specs', () => {
  it('accepts RSA_2048, RSA_3072 and RSA_4096 for SIGN_VERIFY, also under the legacy CustomerMasterKeySpec', () => {
    expect(requestedSigningKeySpec({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).toBe('RSA_2048');
    expect(requestedSigningKeySpec({ KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', Origin: 'AWS_KMS' })).toBe(
      'RSA_3072',
    );
    expect(requestedSigningKeySpec({ CustomerMasterKeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' })).toBe('RSA_4096');
  });

  it.each([
    [{}, 'UnsupportedOperationException', /SYMMETRIC_DEFAULT.*RSA_2048, RSA_3072 and RSA_4096/],
    [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, 'UnsupportedOperationException', /ECC_NIST_P256/],
    [{ KeySpec: 'RSA_2048' }, 'UnsupportedOperationException', /KeyUsage ENCRYPT_DECRYPT/],
    [{ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, 'UnsupportedOperationException', /SIGN_VERIFY/],
    [
      { KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' },
      'ValidationException',
      /differ/,
    ],
    [{ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }, 'UnsupportedOperationException', /Origin/],
    [
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', MultiRegion: true },
      'UnsupportedOperationException',
      /Multi-Region/,
    ],
    [{ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Policy: '{}' }, 'UnsupportedOperationException', /policies/],
  ] as const)('refuses %j with %s', (input, code, message) => {
    expect(() => requestedSigningKeySpec(input)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});

describe('key references', () => {
  it('names a key of the owner by id or ARN, and none of another account or Region', () => {
    expect(ownKeyId(keyId, owner)).toBe(keyId);
    expect(ownKeyId(arn, owner)).toBe(keyId);
    expect(ownKeyId(arn, { ...owner, accountId: '222222222222' })).toBeUndefined();
    expect(ownKeyId(arn.replace('us-east-1', 'eu-west-1'), owner)).toBeUndefined();
    expect(ownKeyId('alias/issuer', owner)).toBeUndefined();
    expect(() => ownKeyId('arn:aws:kms:us-east-1:111111111111:alias/issuer', owner)).toThrow(
      expect.objectContaining({ code: 'InvalidArnException' }),
    );
  });
});
