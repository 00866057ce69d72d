import { randomUUID } from 'node:crypto';
import {
  CheckoutLicenseCommand,
  CreateLicenseCommand,
  GetLicenseCommand,
  type CreateLicenseCommandInput,
} from '@aws-sdk/client-license-manager';
import { keyFingerprint, verifyLicenseToken } from '@lm/license-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, createSigningKey, licenseManager } from '../support/clients';
import { grantedLicense } from '../support/licenses';
import { accounts, startSystem, type RunningSystem } from '../support/system';

type Account = (typeof accounts)[keyof typeof accounts];

const MANAGED_KEY_ALIAS = 'alias/aws/license-manager';
const KEY_ARN = /^arn:aws:kms:us-east-1:(\d{12}):key\/[0-9a-f-]{36}$/;

/** The AWS CLI, a Python process per call, is slow on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 180_000;

/**
 * A licence created with no Issuer.SignKey, as AWS allows: it is signed with a key the product
 * manages for the issuer's account, whose public key the issuer reads like any other key's. Two
 * replicas of grants, so that the first uses racing in the last test meet in two processes.
 */
describe('licences without Issuer.SignKey: the account’s managed signing key', () => {
  let system: RunningSystem;
  const kms = (account: Account, ...args: string[]) => awsCli(system, account, ['kms', ...args]);
  const licenseRequest = (sku: string): CreateLicenseCommandInput => ({
    LicenseName: `Product ${sku}`,
    ProductName: 'Product',
    ProductSKU: sku,
    Issuer: { Name: 'Example ISV' },
    HomeRegion: system.region,
    Validity: { Begin: new Date(Date.now() - 86_400_000).toISOString() },
    Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 5, AllowCheckIn: true }],
    Beneficiary: 'customer@example.com',
    ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    ClientToken: randomUUID(),
  });

  beforeAll(async () => {
    // An account's requests spill over to grants' other replica from the second in flight on.
    system = await startSystem({ LM_TENANT_SPILL_IN_FLIGHT: '1' }, { replicas: { grants: 2 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it(
    'signs a checkout with the managed key, whose public key kms get-public-key gives and GetLicense names',
    async () => {
      const license = await grantedLicense(system, {
        issuer: accounts.management,
        grantee: accounts.member,
        productSku: 'managed-key-sku',
        entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 5, AllowCheckIn: true }],
        allowedOperations: ['CheckoutLicense', 'CheckInLicense'],
        consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      });
      const { SignKey, KeyFingerprint, Name } = license.license.Issuer!;
      expect(Name).toBe('Example ISV');
      expect(SignKey).toMatch(KEY_ARN);
      expect(SignKey!.match(KEY_ARN)![1]).toBe(accounts.management.accountId);

      // The issuer reads the key through the KMS API, by the ARN GetLicense gives or by its alias.
      const described = await kms(accounts.management, 'describe-key', '--key-id', MANAGED_KEY_ALIAS);
      expect(described.stderr).toBe('');
      expect(described.json.KeyMetadata).toMatchObject({
        Arn: SignKey,
        KeyManager: 'AWS',
        KeyState: 'Enabled',
        KeyUsage: 'SIGN_VERIFY',
      });
      const publicKey = await kms(accounts.management, 'get-public-key', '--key-id', SignKey!);
      expect(publicKey.stderr).toBe('');
      expect(publicKey.json.KeyId).toBe(SignKey);
      const der = Buffer.from(publicKey.json.PublicKey, 'base64');
      expect(KeyFingerprint).toBe(keyFingerprint(accounts.management.accountId, der));

      // The customer checks out by SKU and the managed key's fingerprint; the token verifies with that public key only.
      const checkout = await licenseManager(system, accounts.member).send(
        new CheckoutLicenseCommand({
          ProductSKU: license.sku,
          KeyFingerprint,
          CheckoutType: 'PROVISIONAL',
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
          ClientToken: randomUUID(),
        }),
      );
      const [header] = checkout.SignedToken!.split('.');
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'PS384', kid: SignKey });
      expect(verifyLicenseToken(checkout.SignedToken!, der, { licenseArn: license.licenseArn })).toMatchObject({
        licenseArn: license.licenseArn,
        entitlementsAllowed: [{ name: 'Seats', unit: 'Count', value: '1' }],
      });
      const otherKey = await createSigningKey(system, accounts.management);
      const otherDer = Buffer.from(
        (await kms(accounts.management, 'get-public-key', '--key-id', otherKey)).json.PublicKey,
        'base64',
      );
      expect(() => verifyLicenseToken(checkout.SignedToken!, otherDer)).toThrow(/signature/i);

      // The key signs the account's licences for good: KMS does not let an account delete an AWS managed key.
      const deletion = await kms(accounts.management, 'schedule-key-deletion', '--key-id', SignKey!);
      expect(deletion.exitCode).not.toBe(0);
      expect(deletion.stderr).toMatch(/AccessDeniedException.*AWS managed key/);
      // Another account does not see it.
      const stranger = await kms(accounts.outsider, 'get-public-key', '--key-id', SignKey!);
      expect(stranger.stderr).toMatch(/NotFoundException/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'creates one managed key when a fresh account’s first licences race, and every licence carries its fingerprint',
    async () => {
      const seller = accounts.nestedMember;
      const client = licenseManager(system, seller);
      const before = await kms(seller, 'list-keys');
      expect(before.json.Keys).toEqual([]);

      const created = await Promise.all(
        Array.from({ length: 8 }, (_, i) => client.send(new CreateLicenseCommand(licenseRequest(`race-${i}`)))),
      );
      const issuers = await Promise.all(
        created.map(
          async ({ LicenseArn }) => (await client.send(new GetLicenseCommand({ LicenseArn }))).License!.Issuer!,
        ),
      );
      const after = await kms(seller, 'list-keys');
      expect(after.json.Keys).toHaveLength(1);
      const [{ KeyArn }] = after.json.Keys;
      const der = Buffer.from(
        (await kms(seller, 'get-public-key', '--key-id', MANAGED_KEY_ALIAS)).json.PublicKey,
        'base64',
      );
      expect(issuers).toEqual(
        created.map(() => ({
          Name: 'Example ISV',
          SignKey: KeyArn,
          KeyFingerprint: keyFingerprint(seller.accountId, der),
        })),
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
