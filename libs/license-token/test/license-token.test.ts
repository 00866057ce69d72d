import { constants, createHmac, createPublicKey, generateKeyPair, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  entitlementAllows,
  keyFingerprint,
  LicenseTokenError,
  signLicenseToken,
  signLicenseTokenAsync,
  tokenTimestamp,
  verifyLicenseToken,
  type LicenseTokenFailure,
  type LicenseTokenPayload,
} from '../src';

const generateRsa = async (modulusLength: number): Promise<KeyObject> =>
  (await promisify(generateKeyPair)('rsa', { modulusLength })).privateKey;

const issued = new Date('2020-11-30T23:47:35Z');
const during = new Date('2020-12-01T00:10:00Z');

const payload: LicenseTokenPayload = {
  entitlementsAllowed: [
    { name: 'EntitlementCount', unit: 'Count', value: '10' },
    { name: 'Premium', unit: 'None', value: 'Enabled' },
  ],
  expiration: '2020-12-01T00:47:35',
  issuedAt: tokenTimestamp(issued),
  licenseArn: 'arn:aws:license-manager::123456789012:license:l-6585590917ad46858328ff02dEXAMPLE',
  licenseConsumptionToken: '306eb19af354ba79c3687b9bEXAMPLE',
  nodeId: '100.20.15.10',
  checkoutMetadata: { Mac: 'ABCDEFGHI' },
};
const matching = {
  now: during,
  licenseArn: payload.licenseArn,
  nodeId: '100.20.15.10',
  checkoutMetadata: { Mac: 'ABCDEFGHI' },
};

const refusal = (verifying: () => unknown): LicenseTokenFailure | undefined => {
  try {
    verifying();
  } catch (error) {
    if (error instanceof LicenseTokenError) return error.reason;
    throw error;
  }
  return undefined;
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('licence tokens', () => {
  const keys = new Map<number, KeyObject>();
  beforeAll(async () => {
    for (const bits of [2048, 3072, 4096]) keys.set(bits, await generateRsa(bits));
  });
  const key = (bits = 2048) => keys.get(bits)!;

  describe.each(['PS384', 'PS256'] as const)('%s round trip', (alg) => {
    it.each([2048, 3072, 4096])('RSA %i: verifies with the public key as KeyObject, PEM and SPKI DER', (bits) => {
      const token = signLicenseToken(payload, key(bits), alg, { kid: 'key-1' });
      const publicKey = createPublicKey(key(bits));
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
        alg,
        typ: 'JWT',
        kid: 'key-1',
      });
      expect(verifyLicenseToken(token, publicKey, matching)).toEqual(payload);
      expect(verifyLicenseToken(token, publicKey.export({ type: 'spki', format: 'pem' }) as string, matching)).toEqual(
        payload,
      );
      expect(verifyLicenseToken(token, publicKey.export({ type: 'spki', format: 'der' }), matching)).toEqual(payload);
    });
  });

  it('signs on the thread pool the same way', async () => {
    const token = await signLicenseTokenAsync(payload, key(), 'PS384', { kid: 'key-1' });
    expect(token.split('.').slice(0, 2)).toEqual(
      signLicenseToken(payload, key(), 'PS384', { kid: 'key-1' }).split('.').slice(0, 2),
    );
    expect(verifyLicenseToken(token, createPublicKey(key()), matching)).toEqual(payload);
  });

  it('uses PSS with the hash length as salt length, as any JWS library expects', () => {
    const token = signLicenseToken(payload, key(), 'PS384');
    const [header, body, signature] = token.split('.') as [string, string, string];
    const options = { key: createPublicKey(key()), padding: constants.RSA_PKCS1_PSS_PADDING };
    expect(
      verify(
        'sha384',
        Buffer.from(`${header}.${body}`),
        { ...options, saltLength: 48 },
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    expect(
      verify(
        'sha384',
        Buffer.from(`${header}.${body}`),
        { ...options, saltLength: 32 },
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(false);
  });

  it('accepts a key among several trusted ones and refuses a key it does not trust', () => {
    const token = signLicenseToken(payload, key(3072), 'PS384');
    expect(verifyLicenseToken(token, [createPublicKey(key(2048)), createPublicKey(key(3072))], matching)).toEqual(
      payload,
    );
    expect(refusal(() => verifyLicenseToken(token, createPublicKey(key(4096)), matching))).toBe('signature');
  });

  it('refuses the token when any one character is changed', () => {
    const token = signLicenseToken(payload, key(), 'PS384');
    const publicKey = createPublicKey(key());
    const reasons = new Set<LicenseTokenFailure | undefined>();
    for (let at = 0; at < token.length; at++) {
      if (token[at] === '.') continue;
      const changed = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      const reason = refusal(() => verifyLicenseToken(changed, publicKey, matching));
      expect(reason, `character ${at}`).toBeDefined();
      reasons.add(reason);
    }
    expect(
      [...reasons].every((reason) => reason === 'malformed' || reason === 'algorithm' || reason === 'signature'),
    ).toBe(true);
  });

  it('refuses alg none, HS256 (the public key used as an HMAC secret) and RS384', () => {
    const publicKey = createPublicKey(key());
    const body = base64url(payload);
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${body}.`;
    const hsInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${body}`;
    const hs256 = `${hsInput}.${createHmac('sha256', publicKey.export({ type: 'spki', format: 'pem' }))
      .update(hsInput)
      .digest('base64url')}`;
    const rs384 = `${base64url({ alg: 'RS384', typ: 'JWT' })}.${body}.${signLicenseToken(payload, key(), 'PS384').split('.')[2]}`;
    expect(refusal(() => verifyLicenseToken(none, publicKey, matching))).toBe('algorithm');
    expect(refusal(() => verifyLicenseToken(hs256, publicKey, matching))).toBe('algorithm');
    expect(refusal(() => verifyLicenseToken(rs384, publicKey, matching))).toBe('algorithm');
  });

  it('refuses what is not a token', () => {
    const publicKey = createPublicKey(key());
    expect(refusal(() => verifyLicenseToken('', publicKey))).toBe('malformed');
    expect(refusal(() => verifyLicenseToken('a.b', publicKey))).toBe('malformed');
    expect(refusal(() => verifyLicenseToken(`${base64url({ alg: 'PS384' })}.e30.`, publicKey))).toBe('malformed');
    const notAPayload = signLicenseToken({ ...payload, issuedAt: '2020-11-30T23:47:35Z' }, key(), 'PS384');
    expect(refusal(() => verifyLicenseToken(notAPayload, publicKey, matching))).toBe('malformed');
  });

  it('reads zone-less timestamps as UTC and checks the window with the clock skew allowance', () => {
    const token = signLicenseToken(payload, key(), 'PS256');
    const publicKey = createPublicKey(key());
    const at = (iso: string, clockSkewSeconds?: number) =>
      refusal(() => verifyLicenseToken(token, publicKey, { ...matching, now: new Date(iso), clockSkewSeconds }));
    expect(at('2020-11-30T23:47:35Z')).toBeUndefined();
    expect(at('2020-11-30T23:46:40Z')).toBeUndefined();
    expect(at('2020-11-30T23:46:30Z')).toBe('not-yet-valid');
    expect(at('2020-11-30T23:47:00Z', 0)).toBe('not-yet-valid');
    expect(at('2020-12-01T00:48:30Z')).toBeUndefined();
    expect(at('2020-12-01T00:48:35Z')).toBe('expired');
    expect(at('2020-12-01T00:47:35Z', 0)).toBe('expired');
  });

  it('refuses another licence, another node and other checkout metadata', () => {
    const token = signLicenseToken(payload, key(), 'PS384');
    const publicKey = createPublicKey(key());
    const reason = (options: Partial<typeof matching>) =>
      refusal(() => verifyLicenseToken(token, publicKey, { ...matching, ...options }));
    expect(reason({ licenseArn: 'arn:aws:license-manager::123456789012:license:l-other' })).toBe('license');
    expect(reason({ nodeId: '100.20.15.11' })).toBe('node');
    expect(reason({ nodeId: undefined })).toBe('node');
    expect(reason({ checkoutMetadata: { Mac: 'OTHER' } })).toBe('metadata');
    expect(reason({ checkoutMetadata: undefined })).toBe('metadata');
    const unlocked = signLicenseToken({ ...payload, nodeId: undefined, checkoutMetadata: undefined }, key(), 'PS384');
    expect(
      verifyLicenseToken(unlocked, publicKey, { now: during, nodeId: 'any', checkoutMetadata: { Mac: 'any' } })
        .licenseArn,
    ).toBe(payload.licenseArn);
  });

  it('tells whether the entitlements cover a need', () => {
    expect(entitlementAllows(payload, { name: 'EntitlementCount', unit: 'Count' })).toBe(true);
    expect(entitlementAllows(payload, { name: 'EntitlementCount', unit: 'Count', value: 10 })).toBe(true);
    expect(entitlementAllows(payload, { name: 'EntitlementCount', unit: 'Count', value: '11' })).toBe(false);
    expect(entitlementAllows(payload, { name: 'EntitlementCount', unit: 'Bits', value: 1 })).toBe(false);
    expect(entitlementAllows(payload, { name: 'Premium', unit: 'None', value: 'Enabled' })).toBe(true);
    expect(entitlementAllows(payload, { name: 'Premium', unit: 'None', value: 'Disabled' })).toBe(false);
    expect(entitlementAllows(payload, { name: 'Other', unit: 'Count' })).toBe(false);
  });

  it('fingerprints a key by its account and the SHA-256 of its SPKI DER', () => {
    const der = createPublicKey(key()).export({ type: 'spki', format: 'der' });
    expect(keyFingerprint('123456789012', der)).toMatch(/^aws:123456789012:issuer:[0-9a-f]{64}$/);
    expect(keyFingerprint('123456789012', der)).not.toBe(
      keyFingerprint('123456789012', createPublicKey(key(3072)).export({ type: 'spki', format: 'der' })),
    );
  });
});
