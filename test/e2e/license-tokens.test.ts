import { randomBytes, randomUUID } from 'node:crypto';
import {
  AcceptGrantCommand,
  CheckoutLicenseCommand,
  CreateGrantCommand,
  CreateGrantVersionCommand,
  CreateLicenseCommand,
  CreateTokenCommand,
  DeleteTokenCommand,
  GetAccessTokenCommand,
  GetLicenseCommand,
  LicenseManagerClient,
  ListLicensesCommand,
  ListTokensCommand,
} from '@aws-sdk/client-license-manager';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKey } from '@lm/service-kit';
import { epochSeconds, signJwt } from '../../services/grants/src/tokens/domain/refresh-token/jwt';
import { licenseManager, licenseManagerWithCredentials, rawRequest } from '../support/clients';
import { acceptAndActivate, seatLicenceInput } from '../support/licenses';
import { accounts, principals, startSystem, type RunningSystem } from '../support/system';
import { assumeRoleWithWebIdentity, type StsAnswer } from '../support/web-identity';

const MASTER_KEY = randomBytes(32);
const ISSUER = accounts.management.accountId;
const ROLE = `arn:aws:iam::${ISSUER}:role/AWSLicenseManagerConsumptionRole`;

describe('licence tokens for customers without an account: refresh token, access token, temporary credentials', () => {
  let system: RunningSystem;
  let issuer: LicenseManagerClient;
  let customer: LicenseManagerClient;
  let licenseArn: string;
  let keyFingerprint: string;

  /** boto3's STS client, unsigned, as the customer's software runs it. */
  const assumeRole = (accessToken: string, roleArn = ROLE, durationSeconds?: number): Promise<StsAnswer> =>
    assumeRoleWithWebIdentity(system, { accessToken, roleArn, sessionName: 'customer-42', durationSeconds });

  /** The official SDK with the temporary credentials. */
  const withCredentials = (credentials: NonNullable<StsAnswer['credentials']>) =>
    licenseManagerWithCredentials(system, {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    });

  const createToken = (overrides: Partial<ConstructorParameters<typeof CreateTokenCommand>[0]> = {}) =>
    issuer.send(
      new CreateTokenCommand({
        LicenseArn: licenseArn,
        TokenProperties: ['edition:pro'],
        RoleArns: [ROLE],
        ClientToken: randomUUID(),
        ...overrides,
      }),
    );

  beforeAll(async () => {
    system = await startSystem({ LM_MASTER_KEY: MASTER_KEY.toString('base64') });
    issuer = licenseManager(system, accounts.management);
    customer = licenseManager(system, accounts.outsider);
    const key = await rawRequest(system, {
      account: accounts.management,
      service: 'kms',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' },
      body: JSON.stringify({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
    });
    expect(key.status).toBe(200);
    ({ LicenseArn: licenseArn } = (await issuer.send(
      new CreateLicenseCommand(
        seatLicenceInput({
          name: 'Analytics Pro',
          sku: 'analytics-pro',
          signKey: key.json.KeyMetadata.Arn,
          region: system.region,
        }),
      ),
    )) as { LicenseArn: string });
    keyFingerprint = (await issuer.send(new GetLicenseCommand({ LicenseArn: licenseArn }))).License!.Issuer!
      .KeyFingerprint!;
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('creates a refresh token once; a retry within 10 minutes answers the same token', async () => {
    const ClientToken = randomUUID();
    const first = await createToken({ ClientToken });
    expect(first).toMatchObject({ TokenId: expect.stringMatching(/^[0-9a-f]{32}$/), TokenType: 'REFRESH_TOKEN' });
    expect(first.Token!.split('.')).toHaveLength(3);
    expect(first.Token!.length).toBeLessThanOrEqual(4096);
    const claims = JSON.parse(Buffer.from(first.Token!.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ aud: licenseArn, amr: ['edition:pro'], sub: ISSUER, jti: first.TokenId });
    expect(claims.exp - claims.iat).toBe(365 * 86_400);
    const retry = await createToken({ ClientToken });
    expect(retry).toMatchObject({ TokenId: first.TokenId, Token: first.Token });
    await expect(createToken({ ClientToken, TokenProperties: ['edition:basic'] })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('refuses tokens to an account that neither issued the licence nor holds a grant for it', async () => {
    await expect(
      customer.send(new CreateTokenCommand({ LicenseArn: licenseArn, ClientToken: randomUUID() })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(createToken({ RoleArns: ['arn:aws:iam::222222222222:role/Elsewhere'] })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('takes the customer from refresh token to credentials that consume the licence and nothing else, until the token is deleted', async () => {
    const { TokenId, Token } = await createToken({ TokenProperties: ['edition:pro', 'seats:10'] });

    // GetAccessToken: any signed caller may exchange the token, for properties it holds only.
    await expect(
      customer.send(new GetAccessTokenCommand({ Token, TokenProperties: ['seats:1000'] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const { AccessToken } = await customer.send(new GetAccessTokenCommand({ Token, TokenProperties: ['seats:10'] }));
    await expect(customer.send(new GetAccessTokenCommand({ Token: AccessToken }))).rejects.toMatchObject({
      name: 'AuthorizationException',
    });

    // AssumeRoleWithWebIdentity through boto3: a role of the issuing account named by the token, at most an hour.
    expect((await assumeRole(AccessToken!, `arn:aws:iam::${ISSUER}:role/Other`)).error).toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
    expect((await assumeRole(AccessToken!, ROLE, 7200)).error).toMatchObject({ code: 'ValidationError', status: 400 });
    const sts = await assumeRole(AccessToken!, ROLE, 900);
    // A second set, never used before the token is deleted: refused at once, where the set in use
    // is refused once the gateway asks grants about it again (within 5 seconds: docs/gateway.md).
    const unused = await assumeRole(AccessToken!, ROLE, 900);
    expect(sts.credentials).toMatchObject({
      AccessKeyId: expect.stringMatching(/^ASIA[A-Z0-9]{16}$/),
      SecretAccessKey: expect.stringMatching(/^.{40}$/),
      SessionToken: expect.any(String),
    });
    expect(new Date(sts.credentials!.Expiration).getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    expect(sts).toMatchObject({
      subject: ISSUER,
      audience: licenseArn,
      assumedRoleUser: { Arn: `arn:aws:sts::${ISSUER}:assumed-role/AWSLicenseManagerConsumptionRole/customer-42` },
    });

    // The credentials consume the licence...
    const consumer = withCredentials(sts.credentials!);
    expect((await consumer.send(new GetLicenseCommand({ LicenseArn: licenseArn }))).License?.LicenseArn).toBe(
      licenseArn,
    );
    const checkout = await consumer.send(
      new CheckoutLicenseCommand({
        ProductSKU: 'analytics-pro',
        CheckoutType: 'PROVISIONAL',
        KeyFingerprint: keyFingerprint,
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
        Beneficiary: 'customer-without-account',
        ClientToken: randomUUID(),
      }),
    );
    expect(checkout.LicenseArn).toBe(licenseArn);
    // ...and do nothing else.
    await expect(consumer.send(new ListLicensesCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      consumer.send(new CreateTokenCommand({ LicenseArn: licenseArn, ClientToken: randomUUID() })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    // Without the session token the signature is not theirs.
    await expect(
      withCredentials({ ...sts.credentials!, SessionToken: 'not-the-session-token' }).send(
        new GetLicenseCommand({ LicenseArn: licenseArn }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });

    // Deleting the token ends it all: the exchange, new credentials and the credentials already out.
    await issuer.send(new DeleteTokenCommand({ TokenId }));
    await expect(customer.send(new GetAccessTokenCommand({ Token }))).rejects.toMatchObject({
      name: 'AuthorizationException',
    });
    expect((await assumeRole(AccessToken!)).error).toMatchObject({ code: 'InvalidIdentityToken', status: 400 });
    await expect(
      withCredentials(unused.credentials!).send(new GetLicenseCommand({ LicenseArn: licenseArn })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    const revokedBy = Date.now() + 7_000;
    let refused: unknown;
    while (!refused && Date.now() < revokedBy) {
      refused = await consumer.send(new GetLicenseCommand({ LicenseArn: licenseArn })).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(refused).toMatchObject({ $metadata: { httpStatusCode: 403 } });

    const { Tokens } = await issuer.send(
      new ListTokensCommand({ Filters: [{ Name: 'LicenseArns', Values: [licenseArn] }] }),
    );
    expect(Tokens!.find((t) => t.TokenId === TokenId)).toMatchObject({
      TokenType: 'REFRESH_TOKEN',
      LicenseArn: licenseArn,
      Status: 'DELETED',
      TokenProperties: ['edition:pro', 'seats:10'],
      RoleArns: [ROLE],
    });
    expect(Tokens!.every((t) => !('Token' in t))).toBe(true);
    // Another account sees none of the issuer's tokens.
    expect((await customer.send(new ListTokensCommand({}))).Tokens).toEqual([]);
  });

  it('lets a grantee whose ACTIVE grant allows CreateToken make tokens for its own customers, and no other grantee', async () => {
    const grantTo = async (account: typeof accounts.member, operations: ('CheckoutLicense' | 'CreateToken')[]) => {
      const { GrantArn } = await issuer.send(
        new CreateGrantCommand({
          GrantName: `for ${account.accountId}`,
          LicenseArn: licenseArn,
          Principals: [principals.account(account)],
          HomeRegion: system.region,
          AllowedOperations: operations,
          ClientToken: randomUUID(),
        }),
      );
      return GrantArn!;
    };
    const distributor = licenseManager(system, accounts.member);
    const grantArn = await grantTo(accounts.member, ['CheckoutLicense', 'CreateToken']);
    const tokenFor = (client: LicenseManagerClient, roleArns: string[]) =>
      client.send(new CreateTokenCommand({ LicenseArn: licenseArn, RoleArns: roleArns, ClientToken: randomUUID() }));
    const grantRole = `arn:aws:iam::${accounts.member.accountId}:role/AWSLicenseManagerConsumptionRole`;
    // Until the grant is accepted and activated it allows nothing.
    await expect(tokenFor(distributor, [grantRole])).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await distributor.send(new AcceptGrantCommand({ GrantArn: grantArn }));
    await expect(tokenFor(distributor, [grantRole])).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await distributor.send(
      new CreateGrantVersionCommand({ GrantArn: grantArn, Status: 'ACTIVE', ClientToken: randomUUID() }),
    );
    const { Token } = await tokenFor(distributor, [grantRole]);

    const { AccessToken } = await customer.send(new GetAccessTokenCommand({ Token }));
    expect((await assumeRole(AccessToken!)).error).toMatchObject({ code: 'AccessDenied' });
    const sts = await assumeRole(AccessToken!, grantRole);
    expect(sts.subject).toBe(accounts.member.accountId);
    const checkout = await withCredentials(sts.credentials!).send(
      new CheckoutLicenseCommand({
        ProductSKU: 'analytics-pro',
        CheckoutType: 'PROVISIONAL',
        KeyFingerprint: keyFingerprint,
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
        ClientToken: randomUUID(),
      }),
    );
    expect(checkout.LicenseArn).toBe(licenseArn);

    const consumerOnly = licenseManager(system, accounts.nestedMember);
    await acceptAndActivate(system, accounts.nestedMember, await grantTo(accounts.nestedMember, ['CheckoutLicense']));
    await expect(tokenFor(consumerOnly, [])).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('refuses an expired access token', async () => {
    const { TokenId } = await createToken();
    // Signed as the service would have an hour ago (the test knows the deployment's master key).
    const issuedAt = epochSeconds(new Date(Date.now() - 2 * 3_600_000));
    const expired = signJwt(
      {
        aud: licenseArn,
        amr: ['edition:pro'],
        sub: ISSUER,
        tid: TokenId,
        jti: randomUUID(),
        iat: issuedAt,
        exp: issuedAt + 3600,
      },
      new MasterKey(MASTER_KEY).derive('access-token'),
    );
    expect((await assumeRole(expired)).error).toMatchObject({ code: 'ExpiredTokenException', status: 400 });
    expect((await assumeRole(`${expired.slice(0, -4)}AAAA`)).error).toMatchObject({ code: 'InvalidIdentityToken' });
  });

  it('keeps tokens, secrets and session tokens out of events and logs', async () => {
    const { Token } = await createToken();
    const { AccessToken } = await customer.send(new GetAccessTokenCommand({ Token }));
    const { credentials } = await assumeRole(AccessToken!);
    const secrets = [Token!, AccessToken!, credentials!.SecretAccessKey, credentials!.SessionToken];
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      const events = (await db.query(`select type, data::text as data from grants.events`)).rows as {
        type: string;
        data: string;
      }[];
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(['TokenCreated', 'TokenDeleted', 'AccessTokenIssued', 'TemporaryCredentialsIssued']),
      );
      const stored = [
        ...events.map((e) => e.data),
        ...(await db.query(`select row_to_json(t)::text as row from grants.refresh_tokens t`)).rows.map((r) => r.row),
        ...(await db.query(`select row_to_json(c)::text as row from grants.temporary_credentials c`)).rows.map(
          (r) => r.row,
        ),
      ];
      for (const secret of secrets) expect(stored.filter((text) => text.includes(secret))).toEqual([]);
    } finally {
      await db.end();
    }
    for (const service of ['gateway', 'grants'] as const) {
      for (const secret of secrets) expect(system.logs(service).includes(secret)).toBe(false);
    }
  });
});
