import { apiModels, type ApiModel } from '@lm/api-model';
import { HIDDEN_DUE_TO_SECURITY_REASONS as HIDDEN, type Caller } from '@lm/contracts';
import { operationSubject, type OperationClient, type OperationReply } from '@lm/messaging';
import { describe, expect, it, vi } from 'vitest';
import type { GatewayConfig } from '../../src/config';
import { AwsRequestHandler } from '../../src/http/aws-request.handler';
import { CredentialStore } from '../../src/identity/credential-store';
import { SessionCredentialCache } from '../../src/identity/session-credentials';
import { sessionCredentialsFromGrants } from '../../src/identity/session-credentials-lookup';
import { auditedValue } from '../../src/observability/audit-redaction';
import { auditRecord, buildAuditRecord, type AuditedCall } from '../../src/observability/audit-record';
import { GatewayMetrics } from '../../src/observability/metrics';
import { ReplicaDirectory } from '../../src/routing/replica-directory';
import { TenantRouting } from '../../src/routing/tenant-routing';
import type { HttpRequest, ReceivedRequest } from '../../src/protocol';
import { KEYS, SIGNED_AT, signWithSmithy, type RequestSpec } from '../protocol/sigv4-support';

const ACCOUNT = '111111111111';
const LICENSE_ARN = 'arn:aws:license-manager::999999999999:license:l-0123456789abcdef0123456789abcdef';
const lm = apiModels['license-manager'];
const root: Caller = {
  accountId: ACCOUNT,
  principalArn: `arn:aws:iam::${ACCOUNT}:root`,
  accessKeyId: KEYS.longTerm.accessKeyId,
  region: 'us-east-1',
};

const request: HttpRequest = {
  method: 'POST',
  url: '/',
  headers: { 'user-agent': 'aws-cli/2.0 test' },
  body: Buffer.alloc(0),
  sourceIp: '192.0.2.7',
};

const call = (fields: Partial<AuditedCall>): AuditedCall => ({
  requestId: 'req-1',
  api: lm,
  operation: 'ListLicenses',
  eventTime: new Date('2024-05-01T12:00:00.123Z'),
  region: 'us-east-1',
  ...fields,
});

const lmRequest = (operation: string, input: unknown): RequestSpec => ({
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSLicenseManager.${operation}` },
  body: JSON.stringify(input),
});

function asHttp(received: ReceivedRequest): HttpRequest {
  return {
    method: received.method,
    url: received.path,
    headers: received.headers as Record<string, string>,
    body: received.body,
  };
}

/** A handler whose services answer from `answers`, and the audit records it gives. */
function handlerWith(answers: Record<string, OperationReply>) {
  const records: ReturnType<typeof buildAuditRecord>[] = [];
  const client = {
    call: async (subject: string) => answers[subject] ?? { ok: true, output: {} },
  } as unknown as OperationClient;
  const store = new CredentialStore({ accounts: [{ accountId: ACCOUNT, accessKeys: [KEYS.longTerm] }] });
  const handler = new AwsRequestHandler(
    { region: 'us-east-1' } as GatewayConfig,
    store,
    new SessionCredentialCache(sessionCredentialsFromGrants(client), { now: () => SIGNED_AT }),
    // No replica known: every call goes to the client as it is.
    new TenantRouting(client, new ReplicaDirectory(), 64),
    async () => true,
    new GatewayMetrics(),
    { record: (req, answered) => records.push(buildAuditRecord(req, answered)) },
    () => SIGNED_AT,
  );
  return { handler, records };
}

describe('audit records', () => {
  it('write a successful call as CloudTrail does: identity, source, names in lowerCamelCase, management event, no answer of a read', () => {
    const record = buildAuditRecord(
      request,
      call({ caller: root, input: { MaxResults: 5 }, output: { Licenses: [], NextToken: 'n1' } }),
    );
    expect(record).toMatchObject({
      eventVersion: '1.08',
      userIdentity: {
        type: 'Root',
        principalId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:root`,
        accountId: ACCOUNT,
        accessKeyId: KEYS.longTerm.accessKeyId,
        userName: 'root',
      },
      eventTime: '2024-05-01T12:00:00Z',
      eventSource: 'license-manager.amazonaws.com',
      eventName: 'ListLicenses',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.7',
      userAgent: 'aws-cli/2.0 test',
      requestParameters: { maxResults: 5 },
      // CloudTrail keeps the response elements of calls that change something only.
      responseElements: null,
      requestID: 'req-1',
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: ACCOUNT,
    });
    expect(record).not.toHaveProperty('errorCode');
    expect(record.eventID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('write a failed call with its error and no response elements, and a write as not read-only', () => {
    const record = buildAuditRecord(
      request,
      call({
        caller: root,
        operation: 'DeleteLicense',
        input: { LicenseArn: LICENSE_ARN, SourceVersion: '1' },
        errorCode: 'InvalidParameterValueException',
        errorMessage: 'No such licence.',
      }),
    );
    expect(record).toMatchObject({
      eventName: 'DeleteLicense',
      readOnly: false,
      requestParameters: { licenseArn: LICENSE_ARN, sourceVersion: '1' },
      responseElements: null,
      errorCode: 'InvalidParameterValueException',
      errorMessage: 'No such licence.',
    });
  });

  it('leave out request parameters over 100 KB, as CloudTrail keeps no more, and keep those just under', () => {
    const withDescription = (length: number) =>
      buildAuditRecord(
        request,
        call({
          caller: root,
          operation: 'CreateLicenseConfiguration',
          input: { Name: 'n', LicenseCountingType: 'vCPU', Description: 'd'.repeat(length) },
        }),
      ).requestParameters;
    expect(withDescription(100 * 1024 + 1)).toBeNull();
    expect(withDescription(100 * 1024 - 100)).toMatchObject({ name: 'n', licenseCountingType: 'vCPU' });
  });

  it('write a record under the cap as JSON once, and the JSON of one over it with the large field left out', () => {
    const creation = (length: number) =>
      call({
        caller: root,
        operation: 'CreateLicenseConfiguration',
        input: { Name: 'n', LicenseCountingType: 'vCPU', Description: 'd'.repeat(length) },
        output: {
          LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
        },
      });
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const small = auditRecord(request, creation(10));
      expect(stringify).toHaveBeenCalledTimes(1);
      expect(JSON.parse(small.json)).toEqual(small.record);
      expect(small.record.requestParameters).toMatchObject({ description: 'dddddddddd' });
    } finally {
      stringify.mockRestore();
    }
    const large = auditRecord(request, creation(100 * 1024 + 1));
    expect(JSON.parse(large.json)).toEqual(large.record);
    expect(large.record.requestParameters).toBeNull();
    expect(large.record.responseElements).toEqual({
      licenseConfigurationArn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
    });
  });

  it('hide the refresh token CreateToken returns and both tokens of GetAccessToken, which writes though named Get', () => {
    const created = buildAuditRecord(
      request,
      call({
        caller: root,
        operation: 'CreateToken',
        input: { LicenseArn: LICENSE_ARN, ClientToken: 'c1' },
        output: { TokenId: 't-1', TokenType: 'REFRESH_TOKEN', Token: 'eyJ.refresh.token' },
      }),
    );
    expect(created.responseElements).toEqual({ tokenId: 't-1', tokenType: 'REFRESH_TOKEN', token: HIDDEN });
    const exchanged = buildAuditRecord(
      request,
      call({
        caller: root,
        operation: 'GetAccessToken',
        input: { Token: 'eyJ.refresh.token' },
        output: { AccessToken: 'eyJ.access.token' },
      }),
    );
    expect(exchanged).toMatchObject({
      requestParameters: { token: HIDDEN },
      responseElements: { accessToken: HIDDEN },
      readOnly: false,
    });
    expect(JSON.stringify([created, exchanged])).not.toContain('eyJ.');
  });

  it("hide STS credentials and the web identity token of the unsigned AssumeRoleWithWebIdentity, recorded for the role's account", () => {
    const sts = apiModels.sts;
    const record = buildAuditRecord(
      request,
      call({
        api: sts,
        operation: 'AssumeRoleWithWebIdentity',
        input: {
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/consumer`,
          RoleSessionName: 'app-1',
          WebIdentityToken: 'eyJ.web.identity',
        },
        output: {
          Credentials: {
            AccessKeyId: 'ASIAEXAMPLE',
            SecretAccessKey: 'secret-key',
            SessionToken: 'session-token',
            Expiration: 1714568400,
          },
          AssumedRoleUser: { AssumedRoleId: 'AROA:app-1', Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/consumer/app-1` },
          SubjectFromWebIdentityToken: 'customer-42',
          Provider: 'openid-license-manager.amazonaws.com',
          Audience: 'aud-7',
        },
      }),
    );
    // As CloudTrail writes a web identity: no account in userIdentity, the role's account as recipient.
    expect(record.userIdentity).toEqual({
      type: 'WebIdentityUser',
      principalId: 'openid-license-manager.amazonaws.com:aud-7:customer-42',
      userName: 'customer-42',
      identityProvider: 'openid-license-manager.amazonaws.com',
    });
    expect(record).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      recipientAccountId: ACCOUNT,
      requestParameters: {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/consumer`,
        roleSessionName: 'app-1',
        webIdentityToken: HIDDEN,
      },
      responseElements: {
        credentials: {
          accessKeyId: 'ASIAEXAMPLE',
          secretAccessKey: HIDDEN,
          sessionToken: HIDDEN,
          expiration: 1714568400,
        },
      },
    });
  });

  it('record a refused AssumeRoleWithWebIdentity as a WebIdentityUser that proved no identity and no account', () => {
    const record = buildAuditRecord(
      request,
      call({
        api: apiModels.sts,
        operation: 'AssumeRoleWithWebIdentity',
        input: { RoleArn: `arn:aws:iam::${ACCOUNT}:role/consumer`, RoleSessionName: 'app-1', WebIdentityToken: 'bad' },
        errorCode: 'InvalidIdentityToken',
        errorMessage: 'The web identity token is not valid.',
      }),
    );
    expect(record.userIdentity).toEqual({ type: 'WebIdentityUser' });
    expect(record).not.toHaveProperty('recipientAccountId');
  });

  it("hide what the model marks sensitive (the subscription APIs' tags)", () => {
    const api = apiModels['license-manager-user-subscriptions'];
    const record = buildAuditRecord(
      request,
      call({ caller: root, api, operation: 'TagResource', input: { ResourceArn: 'arn:x', Tags: { team: 'a' } } }),
    );
    expect(record.eventSource).toBe('license-manager-user-subscriptions.amazonaws.com');
    expect(record.requestParameters).toEqual({ resourceArn: 'arn:x', tags: HIDDEN });
  });

  it('hide Secrets Manager values (SecretString, SecretBinary) in the request, keep no answer of GetSecretValue, and record under secretsmanager', async () => {
    const api = apiModels.secretsmanager;
    const put = buildAuditRecord(
      request,
      call({
        caller: root,
        api,
        operation: 'PutSecretValue',
        input: { SecretId: 'ldap/bind', SecretString: '{"password":"pa55"}', SecretBinary: 'cGE1NQ==' },
        output: { Name: 'ldap/bind', VersionId: 'v-1', VersionStages: ['AWSCURRENT'] },
      }),
    );
    expect(put.eventSource).toBe('secretsmanager.amazonaws.com');
    expect(put.requestParameters).toEqual({ secretId: 'ldap/bind', secretString: HIDDEN, secretBinary: HIDDEN });

    // Through the handler: the answer of GetSecretValue, routed on the owner's secretsmanager: subject.
    const { handler, records } = handlerWith({
      [operationSubject('user-subscriptions', 'secretsmanager:GetSecretValue')]: {
        ok: true,
        output: { Name: 'ldap/bind', SecretString: '{"password":"pa55"}', VersionStages: ['AWSCURRENT'] },
      },
    });
    const signed = await signWithSmithy('secretsmanager', {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: 'ldap/bind' }),
    });
    const response = await handler.handle(asHttp(signed));
    expect(response.status).toBe(200);
    expect(JSON.parse(String(response.body)).SecretString).toBe('{"password":"pa55"}');
    expect(records[0]).toMatchObject({ eventName: 'GetSecretValue', readOnly: true, responseElements: null });
    expect(JSON.stringify(records)).not.toContain('pa55');
  });

  it('hide private key material and secrets wherever a member carries them (a KMS key pair), and drop members the model does not declare', () => {
    const api: ApiModel = {
      ...apiModels.kms,
      shapes: {
        ...apiModels.kms.shapes,
        KeyPair: {
          type: 'structure',
          members: {
            KeyId: { shape: 'KeyIdType' },
            PrivateKeyPlaintext: { shape: 'KeyIdType' },
            PublicKey: { shape: 'KeyIdType' },
          },
        },
      },
    };
    expect(
      auditedValue(api, 'KeyPair', { KeyId: 'k-1', PrivateKeyPlaintext: 'MIIEv...', PublicKey: 'MIIB...', Extra: 'x' }),
    ).toEqual({
      keyId: 'k-1',
      privateKeyPlaintext: HIDDEN,
      publicKey: 'MIIB...',
    });
  });

  it('record a call signed with temporary credentials as the role session, with neither its session token nor its licence tokens', async () => {
    const { handler, records } = handlerWith({
      [operationSubject('grants', 'ResolveSessionCredentials')]: {
        ok: true,
        output: {
          Credentials: {
            AccessKeyId: KEYS.temporary.accessKeyId,
            SecretAccessKey: KEYS.temporary.secretAccessKey,
            SessionToken: KEYS.temporary.sessionToken,
            Expiration: new Date(SIGNED_AT.getTime() + 3_600_000).toISOString(),
            AccountId: ACCOUNT,
            LicenseArn: LICENSE_ARN,
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/consumer`,
            RoleSessionName: 'app-1',
          },
        },
      },
      [operationSubject('grants', 'CheckoutLicense')]: {
        ok: true,
        output: { LicenseConsumptionToken: 'consumption-token-1', SignedToken: 'eyJ.signed.licence', NodeId: 'node-1' },
      },
    });
    const checkout = lmRequest('CheckoutLicense', {
      ProductSKU: 'sku',
      CheckoutType: 'PROVISIONAL',
      KeyFingerprint: 'aws:294406891311:AWS/Marketplace:issuer-fingerprint',
      Entitlements: [{ Name: 'seats', Value: '1', Unit: 'Count' }],
      ClientToken: 'c-1',
    });
    const response = await handler.handle(asHttp(await signWithSmithy('license-manager', checkout, KEYS.temporary)));
    expect(response.status).toBe(200);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record.userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: 'consumer:app-1',
      userName: 'app-1',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/consumer/app-1`,
      accountId: ACCOUNT,
      accessKeyId: KEYS.temporary.accessKeyId,
    });
    expect(record.responseElements).toEqual({ licenseConsumptionToken: HIDDEN, signedToken: HIDDEN, nodeId: 'node-1' });
    const written = JSON.stringify(record);
    for (const secret of [
      KEYS.temporary.sessionToken,
      KEYS.temporary.secretAccessKey,
      'consumption-token-1',
      'eyJ.signed',
    ])
      expect(written).not.toContain(secret);
  });

  it('record a failed authentication under the operation it tried, with the key it claimed and no account', async () => {
    const { handler, records } = handlerWith({});
    const forged = await signWithSmithy('license-manager', lmRequest('ListLicenses', {}), {
      accessKeyId: KEYS.longTerm.accessKeyId,
      secretAccessKey: 'not-the-secret',
    });
    const response = await handler.handle(asHttp(forged));
    expect(response.status).toBe(403);
    expect(records[0]).toMatchObject({
      eventName: 'ListLicenses',
      eventSource: 'license-manager.amazonaws.com',
      userIdentity: { type: 'Unknown', accessKeyId: KEYS.longTerm.accessKeyId },
      errorCode: 'InvalidSignatureException',
      requestParameters: null,
    });
    expect(records[0]).not.toHaveProperty('recipientAccountId');
    expect(records[0].userIdentity).not.toHaveProperty('accountId');
  });
});
