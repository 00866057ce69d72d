import { randomBytes, randomUUID } from 'node:crypto';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { type Clock, MasterKey, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenseAccess, type AccessibleLicense, type LicenseSelector } from '../src/grants/application/license-access';
import { RefreshTokenExchange } from '../src/tokens/application/refresh-token-exchange';
import { RefreshTokenKeys, tokenSha256 } from '../src/tokens/application/refresh-token-keys';
import { RefreshTokenCommands } from '../src/tokens/application/refresh-token.commands';
import { RefreshTokenQueries } from '../src/tokens/application/refresh-token.queries';
import { TemporaryCredentialsCommands } from '../src/tokens/application/temporary-credentials.commands';
import { TemporaryCredentialsVault } from '../src/tokens/application/temporary-credentials.vault';
import { GRANTS_SCHEMA } from '../src/shared/schema';
import { GrantsService } from '../src/grants.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const HOUR = 3_600_000;
const ISSUER = '111111111111';
const GRANTEE = '222222222222';
const LICENSE = `arn:aws:license-manager::${ISSUER}:license:l-0123456789abcdef0123456789abcdef`;
const OTHER_LICENSE = `arn:aws:license-manager::${ISSUER}:license:l-fedcba9876543210fedcba9876543210`;
const BUSY_LICENSE = `arn:aws:license-manager::${ISSUER}:license:l-00000000000000000000000000000000`;
const ROLE = `arn:aws:iam::${ISSUER}:role/AWSLicenseManagerConsumptionRole`;

const callerOf = (accountId: string, restrictedToLicenseArn?: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
  restrictedToLicenseArn,
});
const issuer = callerOf(ISSUER);

/** The issuer reaches both licences; the grantee sees LICENSE through a grant that does not allow CreateToken. */
class FakeLicenseAccess extends LicenseAccess {
  private accessible(licenseArn: string): AccessibleLicense {
    const license = { LicenseArn: licenseArn, Version: '1', HomeRegion: 'us-east-1' } as AccessibleLicense['license'];
    return { license, issuerAccountId: ISSUER, route: { kind: 'issuer' } };
  }

  async usableLicenses(
    caller: Caller,
    _operation: LicenseManager.AllowedOperation,
    selector: LicenseSelector,
  ): Promise<AccessibleLicense[]> {
    const arn = (selector as { licenseArn: string }).licenseArn;
    return caller.accountId === ISSUER && [LICENSE, OTHER_LICENSE, BUSY_LICENSE].includes(arn)
      ? [this.accessible(arn)]
      : [];
  }

  async readableLicense(caller: Caller, licenseArn: string): Promise<AccessibleLicense> {
    if (licenseArn === LICENSE && [ISSUER, GRANTEE].includes(caller.accountId)) return this.accessible(licenseArn);
    throw new AwsError('ResourceNotFoundException', `License ${licenseArn} does not exist.`);
  }
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: AwsError) => error,
  );

describe('refresh tokens and temporary credentials against PostgreSQL', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  let now = new Date('2026-06-01T12:00:00.250Z');
  const clock: Clock = { now: () => now };
  const masterKey = new MasterKey(randomBytes(32));
  const keys = new RefreshTokenKeys(masterKey);
  let commands: RefreshTokenCommands;
  let queries: RefreshTokenQueries;
  let exchange: RefreshTokenExchange;
  let vault: TemporaryCredentialsVault;
  let sts: TemporaryCredentialsCommands;

  const create = (input: Partial<LicenseManager.CreateTokenRequest> = {}, caller = issuer) =>
    commands.create(caller, {
      LicenseArn: LICENSE,
      ClientToken: randomUUID(),
      TokenProperties: ['tier:gold'],
      ...input,
    });

  const credentialsFor = async (token: string, roleArn = ROLE) => {
    const { AccessToken } = await exchange.accessTokenFor({ Token: token });
    return sts.assumeRoleWithWebIdentity({
      RoleArn: roleArn,
      RoleSessionName: 'customer',
      WebIdentityToken: AccessToken!,
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase('lm_grants');
    infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
    queries = new RefreshTokenQueries(infra.db);
    commands = new RefreshTokenCommands(infra.store, clock, 3, new FakeLicenseAccess(), keys);
    exchange = new RefreshTokenExchange(infra.store, clock, keys, queries);
    vault = new TemporaryCredentialsVault(infra.db, clock, masterKey);
    sts = new TemporaryCredentialsCommands(infra.store, clock, keys, queries, vault);
  });
  afterAll(async () => {
    await infra?.store.close();
    await infra?.db.destroy();
    await database?.drop();
  });

  it('records a created token by its hash only, and answers a retried ClientToken with the same token', async () => {
    const ClientToken = randomUUID();
    const created = await create({ ClientToken, RoleArns: [ROLE] });
    expect(created).toMatchObject({ TokenType: 'REFRESH_TOKEN', TokenId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await create({ ClientToken, RoleArns: [ROLE] })).toEqual(created);
    const recorded = await queries.find(created.TokenId!);
    expect(recorded).toMatchObject({
      status: 'AVAILABLE',
      tokenSha256: tokenSha256(created.Token!),
      createdAt: '2026-06-01T12:00:00.000Z',
    });
    const events = await infra.store.readStream(`refresh-tokens-${ISSUER}`);
    expect(JSON.stringify(events.events)).not.toContain(created.Token);
    expect(events.events.map((e) => e.type)).toEqual(['TokenCreated']);
  });

  it('limits live tokens per licence and account', async () => {
    await create();
    await create();
    expect(await errorOf(create())).toMatchObject({ code: 'ResourceLimitExceededException' });
    expect((await create({ LicenseArn: OTHER_LICENSE })).TokenId).toBeDefined();
  });

  it('lets only the issuer or a grantee allowed CreateToken create tokens, and never temporary credentials', async () => {
    expect(await errorOf(create({}, callerOf(GRANTEE)))).toMatchObject({ code: 'AccessDeniedException' });
    expect(await errorOf(create({}, callerOf('333333333333')))).toMatchObject({ code: 'ResourceNotFoundException' });
    expect(await errorOf(create({}, callerOf(ISSUER, LICENSE)))).toMatchObject({ code: 'AccessDeniedException' });
    expect(await errorOf(create({}, { ...issuer, region: 'eu-west-1' }))).toMatchObject({
      code: 'RedirectException',
      fields: { Location: 'us-east-1' },
    });
    expect(await errorOf(create({ LicenseArn: OTHER_LICENSE, ExpirationInDays: 0 }))).toMatchObject({
      code: 'ValidationException',
    });
    expect(
      await errorOf(create({ LicenseArn: OTHER_LICENSE, RoleArns: [`arn:aws:iam::${GRANTEE}:role/R`] })),
    ).toMatchObject({
      code: 'ValidationException',
    });
  });

  it('lists the caller’s own tokens, filtered by licence, a page at a time', async () => {
    const all = await queries.list(issuer, {});
    expect(all.Tokens).toHaveLength(4);
    expect(all.Tokens!.every((t) => t.Status === 'AVAILABLE' && t.TokenType === 'REFRESH_TOKEN')).toBe(true);
    const first = await queries.list(issuer, { MaxResults: 3, Filters: [{ Name: 'LicenseArns', Values: [LICENSE] }] });
    expect(first.Tokens).toHaveLength(3);
    expect(first.NextToken).toBeUndefined();
    const paged = await queries.list(issuer, { MaxResults: 2 });
    const rest = await queries.list(issuer, { MaxResults: 2, NextToken: paged.NextToken });
    expect([...paged.Tokens!, ...rest.Tokens!].map((t) => t.TokenId)).toEqual(all.Tokens!.map((t) => t.TokenId));
    expect(await errorOf(queries.list(callerOf(GRANTEE), { NextToken: paged.NextToken }))).toMatchObject({
      code: 'ValidationException',
    });
    expect((await queries.list(callerOf(GRANTEE), {})).Tokens).toEqual([]);
    expect(await errorOf(queries.list(issuer, { Filters: [{ Name: 'Status', Values: ['AVAILABLE'] }] }))).toMatchObject(
      { code: 'ValidationException' },
    );
  });

  it('holds the limit and ClientTokens under concurrent calls to two replicas', async () => {
    const replica = new RefreshTokenCommands(infra.store, clock, 3, new FakeLicenseAccess(), keys);
    const ClientToken = randomUUID();
    const retries = await Promise.all(
      [commands, replica, commands, replica].map((handler) =>
        handler.create(issuer, { LicenseArn: BUSY_LICENSE, ClientToken, TokenProperties: ['p'] }),
      ),
    );
    expect(new Set(retries.map((r) => `${r.TokenId}:${r.Token}`)).size).toBe(1);
    const outcomes = await Promise.all(
      [commands, replica, commands, replica, commands].map((handler) =>
        handler.create(issuer, { LicenseArn: BUSY_LICENSE, ClientToken: randomUUID() }).then(
          () => 'created',
          (error: AwsError) => error.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'ResourceLimitExceededException')).toHaveLength(3);
    const busy = await queries.list(issuer, { Filters: [{ Name: 'LicenseArns', Values: [BUSY_LICENSE] }] });
    await Promise.all(busy.Tokens!.map((t) => replica.delete(issuer, t.TokenId!)));
  });

  it('issues temporary credentials the gateway can resolve, with sealed secrets and events without them', async () => {
    const LicenseArn = OTHER_LICENSE;
    const { Token } = await create({ LicenseArn, RoleArns: [ROLE] });
    const result = await credentialsFor(Token!);
    const credentials = result.Credentials!;
    expect(credentials.Expiration).toBe(Math.floor(now.getTime() / 1000) + 3600);
    expect(result).toMatchObject({
      SubjectFromWebIdentityToken: ISSUER,
      Audience: LicenseArn,
      AssumedRoleUser: { Arn: `arn:aws:sts::${ISSUER}:assumed-role/AWSLicenseManagerConsumptionRole/customer` },
    });
    expect(result.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{16}:customer$/);
    expect(await vault.resolve(credentials.AccessKeyId)).toEqual({
      Credentials: {
        AccessKeyId: credentials.AccessKeyId,
        SecretAccessKey: credentials.SecretAccessKey,
        SessionToken: credentials.SessionToken,
        Expiration: new Date(credentials.Expiration * 1000).toISOString(),
        AccountId: ISSUER,
        LicenseArn,
        RoleArn: ROLE,
        RoleSessionName: 'customer',
      },
    });
    const row = await infra.db
      .withSchema(GRANTS_SCHEMA)
      .selectFrom('temporary_credentials')
      .selectAll()
      .where('access_key_id', '=', credentials.AccessKeyId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(credentials.SecretAccessKey);
    expect(JSON.stringify(row)).not.toContain(credentials.SessionToken);
    const issued = await infra.store.readStream(`temporary-credentials-${credentials.AccessKeyId}`);
    expect(issued.events.map((e) => e.type)).toEqual(['TemporaryCredentialsIssued']);
    expect(JSON.stringify(issued.events)).not.toContain(credentials.SecretAccessKey);
    expect(JSON.stringify(issued.events)).not.toContain(credentials.SessionToken);
    expect(await vault.resolve('ASIAUNKNOWNUNKNOWN00')).toEqual({ Credentials: null });
    // Whatever a request claims as its key is asked about: one that cannot be a key is unknown, never an error.
    for (const claimed of ['ASIA\u0000ABCDEFGHIJKLMNO', 'ASIA', 'ASIA' + 'A'.repeat(5000)])
      expect(await vault.resolve(claimed)).toEqual({ Credentials: null });
  });

  it('ends the exchange, new credentials and credentials already out when the token is deleted', async () => {
    const { Token, TokenId } = await create({ LicenseArn: OTHER_LICENSE });
    const { AccessToken } = await exchange.accessTokenFor({ Token: Token! });
    const { Credentials } = await sts.assumeRoleWithWebIdentity({
      RoleArn: ROLE,
      RoleSessionName: 'customer',
      WebIdentityToken: AccessToken!,
    });
    await commands.delete(issuer, TokenId!);
    await commands.delete(issuer, TokenId!);
    expect(await errorOf(commands.delete(callerOf(GRANTEE), TokenId!))).toMatchObject({
      code: 'ResourceNotFoundException',
    });
    expect(await errorOf(exchange.accessTokenFor({ Token: Token! }))).toMatchObject({ code: 'AuthorizationException' });
    expect(
      await errorOf(
        sts.assumeRoleWithWebIdentity({ RoleArn: ROLE, RoleSessionName: 'customer', WebIdentityToken: AccessToken! }),
      ),
    ).toMatchObject({
      code: 'InvalidIdentityToken',
    });
    expect(await vault.resolve(Credentials!.AccessKeyId)).toEqual({ Credentials: null });
    const listed = await queries.list(issuer, { TokenIds: [TokenId!] });
    expect(listed.Tokens).toEqual([expect.objectContaining({ TokenId, Status: 'DELETED' })]);
  });

  it('lets credentials lapse at their expiry and refuses expired access tokens', async () => {
    const { Token } = await create({ LicenseArn: OTHER_LICENSE, ExpirationInDays: 1 });
    const { AccessToken } = await exchange.accessTokenFor({ Token: Token! });
    const { Credentials } = await sts.assumeRoleWithWebIdentity({
      RoleArn: ROLE,
      RoleSessionName: 'customer',
      WebIdentityToken: AccessToken!,
      DurationSeconds: 900,
    });
    now = new Date(now.getTime() + 900_000);
    expect(await vault.resolve(Credentials!.AccessKeyId)).toEqual({ Credentials: null });
    now = new Date(now.getTime() + HOUR);
    expect(
      await errorOf(
        sts.assumeRoleWithWebIdentity({ RoleArn: ROLE, RoleSessionName: 'customer', WebIdentityToken: AccessToken! }),
      ),
    ).toMatchObject({
      code: 'ExpiredTokenException',
    });
    now = new Date(now.getTime() + 24 * HOUR);
    expect(await errorOf(exchange.accessTokenFor({ Token: Token! }))).toMatchObject({ code: 'AuthorizationException' });
  });
});
