import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import {
  CheckInLicenseCommand,
  CheckoutLicenseCommand,
  CreateLicenseCommand,
  CreateTokenCommand,
  ExtendLicenseConsumptionCommand,
  GetAccessTokenCommand,
  GetLicenseCommand,
} from '@aws-sdk/client-license-manager';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKey } from '@lm/service-kit';
import { licenseManager, licenseManagerWithCredentials, rawRequest } from '../support/clients';
import { scrapeMetrics } from '../support/metrics';
import { accounts, startSystem, type ProcessName, type RunningSystem } from '../support/system';
import { seatLicenceInput } from '../support/licenses';
import { assumeRoleWithWebIdentity } from '../support/web-identity';

const MASTER_KEY = randomBytes(32);
const issuerAccount = accounts.management;
const ROLE = `arn:aws:iam::${issuerAccount.accountId}:role/AWSLicenseManagerConsumptionRole`;
const PROCESSES: ProcessName[] = [
  'gateway',
  'licensing',
  'discovery',
  'grants',
  'reporting',
  'user-subscriptions',
  'linux-subscriptions',
  'conversion',
];

/** One secret the system handled: what it is (for the failure message) and its exact text. */
interface Secret {
  what: string;
  value: string;
}

/** Where a secret was found: the place (process log, table, metrics) and the secret. */
type Leak = `${string}: ${string}`;

/**
 * Secrets in the system's outputs and storage. The system is driven through real clients (the
 * AWS SDK, boto3's STS client, signed HTTP) with every kind of secret it hands out or takes in; the
 * strings are collected from the answers and the inputs, then searched for literally in every
 * process's log, every row of every table of every schema of its database (events, views, the
 * audit records, the sealed stores), and the /metrics exposition. What the product keeps sealed
 * (signing keys' private halves, temporary credentials' secrets, Secrets Manager values) is
 * ciphertext there: their plaintext must not appear either.
 */
describe('secrets: none in any log line, event, view row, audit record or metric', () => {
  let system: RunningSystem;
  const secrets: Secret[] = [];
  const keep = (what: string, value: string | undefined) => {
    expect(value, what).toEqual(expect.any(String));
    expect(value!.length, `${what} is long enough to search for`).toBeGreaterThanOrEqual(16);
    secrets.push({ what, value: value! });
  };

  beforeAll(async () => {
    system = await startSystem({ LM_MASTER_KEY: MASTER_KEY.toString('base64') }, { startTimeoutMs: 240_000 });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('hands out and takes in every kind of secret through real clients', async () => {
    const issuer = licenseManager(system, issuerAccount);
    const customer = licenseManager(system, accounts.outsider);

    // The development accounts' own keys sign every call below (and the calls of the other tests).
    for (const account of Object.values(accounts))
      for (const key of account.accessKeys) keep(`secret access key of ${key.accessKeyId}`, key.secretAccessKey);

    // KMS: a signing key; its private half never leaves grants but sealed.
    const kms = (operation: string, body: unknown) =>
      rawRequest(system, {
        account: issuerAccount,
        service: 'kms',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
        body: JSON.stringify(body),
      });
    const key = await kms('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    expect(key.status, key.text).toBe(200);
    const keyId: string = key.json.KeyMetadata.KeyId;
    expect((await kms('GetPublicKey', { KeyId: keyId })).status).toBe(200);
    expect((await kms('DescribeKey', { KeyId: keyId })).status).toBe(200);

    // A licence signed with it, for customers without an account.
    const { LicenseArn } = await issuer.send(
      new CreateLicenseCommand(
        seatLicenceInput({
          name: 'Secrets scan',
          sku: 'secrets-scan',
          signKey: key.json.KeyMetadata.Arn,
          region: system.region,
        }),
      ),
    );
    const keyFingerprint = (await issuer.send(new GetLicenseCommand({ LicenseArn }))).License!.Issuer!.KeyFingerprint!;

    // Refresh token, access token, temporary credentials (boto3's unsigned STS client).
    const { Token } = await issuer.send(
      new CreateTokenCommand({
        LicenseArn,
        RoleArns: [ROLE],
        TokenProperties: ['edition:pro'],
        ClientToken: randomUUID(),
      }),
    );
    keep('refresh token (CreateToken)', Token);
    const { AccessToken } = await customer.send(new GetAccessTokenCommand({ Token }));
    keep('access token (GetAccessToken)', AccessToken);
    const sts = await assumeRoleWithWebIdentity(system, {
      accessToken: AccessToken!,
      roleArn: ROLE,
      sessionName: 'secrets-scan',
    });
    expect(sts.error).toBeUndefined();
    keep('temporary secret access key (AssumeRoleWithWebIdentity)', sts.credentials!.SecretAccessKey);
    keep('session token (AssumeRoleWithWebIdentity)', sts.credentials!.SessionToken);

    // The temporary credentials check a seat out, extend and check it in: consumption and licence tokens.
    const consumer = licenseManagerWithCredentials(system, {
      accessKeyId: sts.credentials!.AccessKeyId,
      secretAccessKey: sts.credentials!.SecretAccessKey,
      sessionToken: sts.credentials!.SessionToken,
    });
    const checkout = await consumer.send(
      new CheckoutLicenseCommand({
        ProductSKU: 'secrets-scan',
        CheckoutType: 'PROVISIONAL',
        KeyFingerprint: keyFingerprint,
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
        Beneficiary: 'customer-without-account',
        ClientToken: randomUUID(),
      }),
    );
    keep('licence consumption token (CheckoutLicense)', checkout.LicenseConsumptionToken);
    keep('signed licence token (CheckoutLicense)', checkout.SignedToken);
    const extended = await consumer.send(
      new ExtendLicenseConsumptionCommand({ LicenseConsumptionToken: checkout.LicenseConsumptionToken }),
    );
    expect(extended.LicenseConsumptionToken).toBe(checkout.LicenseConsumptionToken);
    await consumer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: checkout.LicenseConsumptionToken }));

    // Secrets Manager: a directory password as a string, then a binary version.
    const secretsManager = (operation: string, body: unknown) =>
      rawRequest(system, {
        account: issuerAccount,
        service: 'secretsmanager',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${operation}` },
        body: JSON.stringify(body),
      });
    const password = `pw-${randomBytes(18).toString('hex')}`;
    const binary = `bin-${randomBytes(18).toString('hex')}`;
    keep('directory password (Secrets Manager SecretString)', password);
    keep('secret binary (Secrets Manager SecretBinary)', binary);
    keep('secret binary as sent, base64', Buffer.from(binary).toString('base64'));
    const created = await secretsManager('CreateSecret', {
      Name: 'license-manager-user-admin',
      SecretString: JSON.stringify({ username: 'Administrator', password }),
    });
    expect(created.status, created.text).toBe(200);
    const put = await secretsManager('PutSecretValue', {
      SecretId: created.json.ARN,
      SecretBinary: Buffer.from(binary).toString('base64'),
    });
    expect(put.status, put.text).toBe(200);
    const read = await secretsManager('GetSecretValue', { SecretId: created.json.ARN, VersionStage: 'AWSPREVIOUS' });
    expect(read.status, read.text).toBe(200);
    expect(JSON.parse(read.json.SecretString).password).toBe(password);
    const current = await secretsManager('GetSecretValue', { SecretId: created.json.ARN });
    expect(Buffer.from(current.json.SecretBinary, 'base64').toString()).toBe(binary);

    // The signing key's private half, opened the way grants opens it (the test knows the master key).
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`select sealed from grants.signing_key_material`);
      expect(rows.length).toBeGreaterThan(0);
      for (const { sealed } of rows) {
        const der = new MasterKey(MASTER_KEY).open('signing-key', sealed);
        const jwk = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
        keep('private key, PKCS#8 DER in base64', der.toString('base64'));
        for (const part of ['d', 'p', 'q'] as const) {
          keep(`private key's ${part}, base64url`, jwk[part]);
          keep(`private key's ${part}, base64`, Buffer.from(jwk[part]!, 'base64url').toString('base64'));
          keep(`private key's ${part}, hex`, Buffer.from(jwk[part]!, 'base64url').toString('hex'));
        }
      }
    } finally {
      await db.end();
    }
  });

  it('finds none of them in the logs, the database (events, views, audit records) or /metrics', async () => {
    expect(secrets.length).toBeGreaterThan(20);
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      // Reporting stores the calls' audit records as they arrive: wait until the last ones are in.
      const deadline = Date.now() + 30_000;
      let audited: string[] = [];
      for (;;) {
        audited = (await db.query(`select distinct event_name from reporting.audit_events`)).rows.map(
          (row) => row.event_name,
        );
        const wanted = ['AssumeRoleWithWebIdentity', 'CheckInLicense', 'GetSecretValue', 'CreateToken'];
        if (wanted.every((name) => audited.includes(name)) || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(audited).toEqual(
        expect.arrayContaining([
          'CreateKey',
          'CreateToken',
          'GetAccessToken',
          'AssumeRoleWithWebIdentity',
          'CheckoutLicense',
          'ExtendLicenseConsumption',
          'CheckInLicense',
          'CreateSecret',
          'PutSecretValue',
          'GetSecretValue',
        ]),
      );

      const tables = (
        await db.query(
          `select table_schema, table_name from information_schema.tables
           where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
           order by 1, 2`,
        )
      ).rows as { table_schema: string; table_name: string }[];
      const names = tables.map((t) => `${t.table_schema}.${t.table_name}`);
      // The scan covers every service's event store, its views, the sealed stores and the audit records.
      expect(names).toEqual(
        expect.arrayContaining([
          ...[
            'conversion',
            'discovery',
            'grants',
            'licensing',
            'linux_subscriptions',
            'reporting',
            'user_subscriptions',
          ].map((schema) => `${schema}.events`),
          'grants.signing_key_material',
          'grants.temporary_credentials',
          'reporting.audit_events',
        ]),
      );
      const places: Array<[string, string]> = [];
      let rows = 0;
      for (const { table_schema, table_name } of tables) {
        const texts = (await db.query(`select t::text as row from "${table_schema}"."${table_name}" t`)).rows;
        rows += texts.length;
        places.push([`table ${table_schema}.${table_name}`, texts.map((r) => r.row).join('\n')]);
      }
      expect(rows).toBeGreaterThan(100);
      for (const name of PROCESSES) places.push([`log of ${name}`, system.logs(name)]);
      places.push(['/metrics', (await scrapeMetrics(system)).text]);

      const leaks: Leak[] = [];
      for (const [place, text] of places)
        for (const secret of secrets) if (text.includes(secret.value)) leaks.push(`${place}: ${secret.what}`);
      expect(leaks).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
