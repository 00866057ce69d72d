import {
  NoRespondersError,
  operationSubject,
  type OperationClient,
  type OperationReply,
  type SessionCredentials,
} from '@lm/messaging';
import type { ServiceName } from '@lm/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config';
import { AwsRequestHandler } from '../../src/http/aws-request.handler';
import { sessionCredentialsFromGrants } from '../../src/identity/session-credentials-lookup';
import { CredentialStore } from '../../src/identity/credential-store';
import { SessionCredentialCache } from '../../src/identity/session-credentials';
import { GatewayMetrics } from '../../src/observability/metrics';
import type { HttpRequest, ReceivedRequest } from '../../src/protocol';
import { ReplicaDirectory } from '../../src/routing/replica-directory';
import { TenantRouting } from '../../src/routing/tenant-routing';
import { KEYS, SIGNED_AT, signWithSmithy, type RequestSpec } from '../protocol/sigv4-support';

const ACCOUNT = '111111111111';
const LICENSE_ARN = 'arn:aws:license-manager::999999999999:license:l-0123456789abcdef0123456789abcdef';

const store = new CredentialStore({
  accounts: [{ accountId: ACCOUNT, organizationId: 'o-test', accessKeys: [KEYS.longTerm] }],
  organizations: [{ id: 'o-test', managementAccountId: '222222222222', rootId: 'r-root' }],
});

const config = { region: 'us-east-1' } as GatewayConfig;

/** The temporary credentials grants would resolve for KEYS.temporary. */
const session = (expiresAt: Date): SessionCredentials => ({
  AccessKeyId: KEYS.temporary.accessKeyId,
  SecretAccessKey: KEYS.temporary.secretAccessKey,
  SessionToken: KEYS.temporary.sessionToken,
  Expiration: expiresAt.toISOString(),
  AccountId: ACCOUNT,
  LicenseArn: LICENSE_ARN,
  RoleArn: `arn:aws:iam::${ACCOUNT}:role/service/consumer`,
  RoleSessionName: 'app-1',
});

/**
 * Stands in for NATS: records what the gateway sends and answers from a table of subjects; nobody
 * answers the subjects in `unanswered`, and only the services in `running` answer their health probe.
 */
class FakeServices {
  readonly calls: Array<{ subject: string; request: any }> = [];
  answers = new Map<string, OperationReply>();
  readonly unanswered = new Set<string>();
  readonly running = new Set<ServiceName>(['licensing', 'discovery', 'grants']);
  readonly presenceProbes: ServiceName[] = [];

  readonly client = {
    call: async (subject: string, request: unknown): Promise<OperationReply> => {
      this.calls.push({ subject, request });
      if (this.unanswered.has(subject)) throw new NoRespondersError(subject);
      return this.answers.get(subject) ?? { ok: true, output: {} };
    },
  } as unknown as OperationClient;

  /** No replica heard of: every operation goes to the client on its own subject. */
  readonly routing = new TenantRouting(this.client, new ReplicaDirectory(), 64);

  readonly presence = async (service: ServiceName): Promise<boolean> => {
    this.presenceProbes.push(service);
    return this.running.has(service);
  };

  callsTo(operation: string) {
    return this.calls.filter((call) => call.subject === operationSubject('grants', operation));
  }
}

function asHttp(request: ReceivedRequest): HttpRequest {
  return {
    method: request.method,
    url: request.query ? `${request.path}?${request.query}` : request.path,
    headers: request.headers as Record<string, string>,
    body: request.body,
  };
}

const kmsRequest = (operation: string, input: unknown): RequestSpec => ({
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
  body: JSON.stringify(input),
});

const lmRequest = (operation: string, input: unknown): RequestSpec => ({
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSLicenseManager.${operation}` },
  body: JSON.stringify(input),
});

const stsForm = (params: Record<string, string>): HttpRequest => ({
  method: 'POST',
  url: '/',
  headers: { host: 'localhost:8080', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: Buffer.from(
    new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', ...params }).toString(),
  ),
});

describe('AwsRequestHandler', () => {
  let services: FakeServices;
  let now: Date;
  let handler: AwsRequestHandler;

  beforeEach(() => {
    services = new FakeServices();
    now = SIGNED_AT;
    const sessions = new SessionCredentialCache(sessionCredentialsFromGrants(services.client), { now: () => now });
    handler = new AwsRequestHandler(
      config,
      store,
      sessions,
      services.routing,
      services.presence,
      new GatewayMetrics(),
      { record: () => {} },
      () => now,
    );
  });

  describe('one error shape per protocol, whatever refused the request', () => {
    const extensionsCall: RequestSpec = {
      method: 'POST',
      path: '/inventory/ReportResources',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };
    const shapeOf = (response: { status: number; headers: Record<string, string>; body: string | Buffer }) => {
      const body = JSON.parse(String(response.body));
      return {
        contentType: response.headers['content-type'],
        errorType: response.headers['x-amzn-errortype'],
        members: Object.keys(body).sort(),
        namespace: String(body.__type).split('#')[0],
      };
    };

    it('answers license-manager (awsJson1_1) signed or not, with or without a target, in one shape', async () => {
      const unsignedNoTarget = await handler.handle({
        method: 'POST',
        url: '/',
        headers: { host: 'localhost:8080', 'content-type': 'application/x-amz-json-1.1' },
        body: Buffer.from('{}'),
      });
      const unsigned = await handler.handle(
        asHttp({
          ...(await signWithSmithy('license-manager', lmRequest('ListLicenses', {}))),
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
        }),
      );
      const invalid = await handler.handle(
        asHttp(await signWithSmithy('license-manager', lmRequest('ListLicenses', { MaxResults: 'x' }))),
      );
      expect(unsignedNoTarget.status).toBe(403);
      expect(JSON.parse(String(unsignedNoTarget.body))).toEqual({
        __type: 'com.amazonaws.licensemanager#MissingAuthenticationTokenException',
        Message: 'Missing Authentication Token',
      });
      expect(unsigned.status).toBe(403);
      expect(invalid.status).toBe(400);
      for (const response of [unsignedNoTarget, unsigned, invalid]) {
        expect(shapeOf(response)).toEqual({
          contentType: 'application/x-amz-json-1.1',
          errorType: undefined,
          members: ['Message', '__type'],
          namespace: 'com.amazonaws.licensemanager',
        });
      }
    });

    it('answers the extensions API (restJson1) with x-amzn-ErrorType, refused at authentication or after', async () => {
      const signed = await signWithSmithy('license-manager', extensionsCall);
      const badSignature = {
        ...signed,
        headers: {
          ...signed.headers,
          authorization: signed.headers.authorization!.replace(/Signature=\w+/, `Signature=${'0'.repeat(64)}`),
        },
      };
      const { authorization: _, ...unsignedHeaders } = signed.headers;
      const responses = [
        await handler.handle(asHttp({ ...signed, headers: unsignedHeaders })),
        await handler.handle(asHttp(badSignature)),
        await handler.handle(asHttp(signed)),
      ];
      expect(responses.map((response) => [response.status, response.headers['x-amzn-errortype']])).toEqual([
        [403, 'MissingAuthenticationTokenException'],
        [403, 'InvalidSignatureException'],
        [400, 'ValidationException'],
      ]);
      for (const response of responses) {
        expect(shapeOf(response)).toMatchObject({ contentType: 'application/json', members: ['__type', 'message'] });
      }
      expect(services.calls).toEqual([]);
    });

    it('answers STS (query protocol) a failed authentication with the query codes', async () => {
      const form = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15' }).toString();
      const signed = await signWithSmithy('sts', {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      const tampered = { ...signed, body: Buffer.from(`${form}&RoleArn=x`) };
      const response = await handler.handle(asHttp(tampered));
      expect(response.status).toBe(403);
      expect(String(response.body)).toContain('<Code>SignatureDoesNotMatch</Code>');
    });
  });

  it('validates longs with the digits sent, and forwards every valid one exactly', async () => {
    const create = async (count: string) => {
      const spec = lmRequest('CreateLicenseConfiguration', {});
      const body = `{"Name": "n", "LicenseCountingType": "Core", "LicenseCount": ${count}}`;
      const response = await handler.handle(asHttp(await signWithSmithy('license-manager', { ...spec, body })));
      return { status: response.status, message: JSON.parse(String(response.body)).Message as string | undefined };
    };
    const refusal = (value: string, rule: string) => ({
      status: 400,
      message: `1 validation error detected: Value '${value}' at 'licenseCount' failed to satisfy constraint: ${rule}`,
    });
    expect(await create('9223372036854775808')).toEqual(
      refusal('9223372036854775808', 'Member must be a long integer'),
    );
    expect(services.calls).toEqual([]);
    for (const count of ['9223372036854775807', '9007199254740993', '9007199254740991'])
      expect((await create(count)).status).toBe(200);
    expect(services.calls.map((call) => call.request.input.LicenseCount)).toEqual([
      9223372036854775807n,
      9007199254740993n,
      9007199254740991,
    ]);
  });

  it("refuses a signature scoped to another service than its operation's, as AWS words it", async () => {
    const cases: Array<[string, RequestSpec, string]> = [
      ['kms', lmRequest('ListLicenses', {}), 'license-manager'],
      ['s3', lmRequest('ListLicenses', {}), 'license-manager'],
      ['license-manager', kmsRequest('ListKeys', {}), 'kms'],
      [
        'license-manager',
        {
          method: 'POST',
          path: '/license-server/ReportLicenseServers',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
        'license-manager-user-subscriptions',
      ],
    ];
    for (const [service, spec, expected] of cases) {
      const response = await handler.handle(asHttp(await signWithSmithy(service, spec)));
      expect(response.status, service).toBe(403);
      const body = JSON.parse(String(response.body));
      expect(body.__type).toMatch(/InvalidSignatureException$/);
      expect(body.Message ?? body.message).toBe(`Credential should be scoped to correct service: '${expected}'. `);
    }
    expect(services.calls).toEqual([]);
  });

  it('refuses a request signed for another Region without asking any service', async () => {
    const handlerIn = (region: string) =>
      new AwsRequestHandler(
        { region } as GatewayConfig,
        store,
        new SessionCredentialCache(sessionCredentialsFromGrants(services.client), { now: () => now }),
        services.routing,
        services.presence,
        new GatewayMetrics(),
        { record: () => {} },
        () => now,
      );
    const request = asHttp(await signWithSmithy('license-manager', lmRequest('ListLicenses', {})));
    const response = await handlerIn('eu-west-1').handle(request);
    expect(response.status).toBe(403);
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'com.amazonaws.licensemanager#InvalidSignatureException',
      Message: "Credential should be scoped to a valid region, not 'us-east-1'. ",
    });
    expect(services.calls).toEqual([]);
    expect((await handlerIn('us-east-1').handle(request)).status).toBe(200);
  });

  describe('throttling (LM_RATE_LIMIT_PER_ACCOUNT)', () => {
    it("answers an account past its rate with each API's throttling error, 429, reaching no service, leaving no audit record", async () => {
      const audited: string[] = [];
      const limited = new AwsRequestHandler(
        { ...config, accountRateLimit: { requestsPerSecond: 1, burst: 1 } },
        store,
        new SessionCredentialCache(sessionCredentialsFromGrants(services.client), { now: () => now }),
        services.routing,
        services.presence,
        new GatewayMetrics(),
        { record: (_, call) => audited.push(call.operation) },
        () => now,
      );
      const restJson = (path: string): RequestSpec => ({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      // Signed first, so that the requests come within the second that refills one token.
      const [first, ...throttledRequests] = await Promise.all([
        signWithSmithy('license-manager', lmRequest('ListLicenses', {})),
        signWithSmithy('license-manager', lmRequest('ListLicenses', {})),
        signWithSmithy('kms', kmsRequest('ListKeys', {})),
        signWithSmithy('license-manager', restJson('/inventory/ReportResources')),
        signWithSmithy('license-manager-user-subscriptions', restJson('/identity-provider/ListIdentityProviders')),
        signWithSmithy('monitoring', {
          method: 'POST',
          path: '/',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: 'Action=ListMetrics&Version=2010-08-01',
        }),
      ]);
      expect((await limited.handle(asHttp(first))).status).toBe(200);
      const answers = [];
      for (const request of throttledRequests) answers.push(await limited.handle(asHttp(request)));
      expect(answers.map((answer) => answer.status)).toEqual([429, 429, 429, 429, 429]);
      const [licenseManager, kms, extensions, userSubscriptions, monitoringQuery] = answers;
      expect(JSON.parse(String(licenseManager.body))).toEqual({
        __type: 'com.amazonaws.licensemanager#RateLimitExceededException',
        Message: `Rate exceeded for account ${ACCOUNT}.`,
      });
      expect(JSON.parse(String(kms.body))).toEqual({
        __type: 'ThrottlingException',
        message: `Rate exceeded for account ${ACCOUNT}.`,
      });
      for (const restJsonAnswer of [extensions, userSubscriptions])
        expect(restJsonAnswer.headers['x-amzn-errortype']).toBe('ThrottlingException');
      expect(String(monitoringQuery.body)).toContain('<Code>Throttling</Code>');
      expect(services.calls).toHaveLength(1);
      expect(audited).toEqual(['ListLicenses']);
    });
  });

  describe('operations nobody answers', () => {
    const reportGenerator = lmRequest('ListLicenseManagerReportGenerators', {});

    it('answers 501 "not implemented in this build" when the owning service runs without a handler for it', async () => {
      services.unanswered.add(operationSubject('licensing', 'ListLicenseAssetGroups'));
      const response = await handler.handle(
        asHttp(await signWithSmithy('license-manager', lmRequest('ListLicenseAssetGroups', {}))),
      );
      expect(response.status).toBe(501);
      expect(JSON.parse(response.body)).toEqual({
        __type: 'com.amazonaws.licensemanager#NotImplementedException',
        Message: 'ListLicenseAssetGroups is not implemented in this build.',
      });
      expect(services.presenceProbes).toEqual(['licensing']);
    });

    it('answers 501 naming the service when the owning service is not running', async () => {
      services.unanswered.add(operationSubject('reporting', 'ListLicenseManagerReportGenerators'));
      const response = await handler.handle(asHttp(await signWithSmithy('license-manager', reportGenerator)));
      expect(response.status).toBe(501);
      expect(JSON.parse(response.body)).toEqual({
        __type: 'com.amazonaws.licensemanager#NotImplementedException',
        Message: 'ListLicenseManagerReportGenerators is served by the reporting service, which is not running.',
      });
    });

    it('does not probe a service whose handler answers', async () => {
      const response = await handler.handle(asHttp(await signWithSmithy('license-manager', reportGenerator)));
      expect(response.status).toBe(200);
      expect(services.presenceProbes).toEqual([]);
    });
  });

  describe('service errors', () => {
    it("answers a missing resource or a stale version in the operation's modeled vocabulary", async () => {
      const answer = async (operation: string, input: object, name: string) => {
        services.answers.set(operationSubject('grants', operation), {
          ok: false,
          error: { name, message: `${name} from grants` },
        });
        const response = await handler.handle(
          asHttp(await signWithSmithy('license-manager', lmRequest(operation, input))),
        );
        return { status: response.status, type: String(JSON.parse(response.body).__type).split('#').pop() };
      };
      // GetLicense and DeleteGrant model neither error; CheckInLicense models both.
      expect(await answer('GetLicense', { LicenseArn: LICENSE_ARN }, 'ResourceNotFoundException')).toEqual({
        status: 400,
        type: 'InvalidParameterValueException',
      });
      expect(
        await answer(
          'DeleteGrant',
          { GrantArn: 'arn:aws:license-manager::1:grant:g-1', Version: '1' },
          'ConflictException',
        ),
      ).toEqual({
        status: 400,
        type: 'InvalidParameterValueException',
      });
      expect(await answer('CheckInLicense', { LicenseConsumptionToken: 't' }, 'ConflictException')).toEqual({
        status: 409,
        type: 'ConflictException',
      });
    });
  });

  describe('KMS (awsJson1_1, TrentService)', () => {
    it('routes an operation to grants with the caller, and answers only the modeled members', async () => {
      services.answers.set(operationSubject('grants', 'CreateKey'), {
        ok: true,
        output: {
          KeyMetadata: { KeyId: 'k-1', CreationDate: 1_700_000_000, KeySpec: 'RSA_3072', PrivateKey: 'never' },
        },
      });
      const response = await handler.handle(
        asHttp(await signWithSmithy('kms', kmsRequest('CreateKey', { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' }))),
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(JSON.parse(response.body)).toEqual({
        KeyMetadata: { KeyId: 'k-1', CreationDate: 1_700_000_000, KeySpec: 'RSA_3072' },
      });
      expect(services.callsTo('CreateKey')[0].request).toMatchObject({
        caller: { accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root` },
        input: { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' },
      });
    });

    it('answers errors as KMS does: a bare __type and a lower-case message, with the model status', async () => {
      services.answers.set(operationSubject('grants', 'DescribeKey'), {
        ok: false,
        error: { name: 'NotFoundException', message: 'Key k-9 does not exist' },
      });
      const response = await handler.handle(
        asHttp(await signWithSmithy('kms', kmsRequest('DescribeKey', { KeyId: 'k-9' }))),
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ __type: 'NotFoundException', message: 'Key k-9 does not exist' });
    });

    it('validates the input against the KMS model before any service sees it', async () => {
      const response = await handler.handle(
        asHttp(await signWithSmithy('kms', kmsRequest('ScheduleKeyDeletion', { KeyId: 'k', PendingWindowInDays: 3 }))),
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value '3' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
      });
      expect(services.calls).toEqual([]);
    });

    it('answers UnknownOperationException for a KMS operation this product does not serve', async () => {
      const response = await handler.handle(asHttp(await signWithSmithy('kms', kmsRequest('Encrypt', { KeyId: 'k' }))));
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).__type).toBe('UnknownOperationException');
    });
  });

  describe('STS (query protocol, unsigned AssumeRoleWithWebIdentity)', () => {
    const valid = {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/consumer`,
      RoleSessionName: 'app-1',
      WebIdentityToken: 'access-token',
    };

    it('sends the decoded input to grants without a caller and answers STS XML', async () => {
      services.answers.set(operationSubject('grants', 'AssumeRoleWithWebIdentity'), {
        ok: true,
        output: {
          Credentials: {
            AccessKeyId: 'ASIAEXAMPLE',
            SecretAccessKey: 'secret',
            SessionToken: 'token',
            Expiration: 1_800_000_000,
          },
          AssumedRoleUser: { AssumedRoleId: 'AROA:app-1', Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/consumer/app-1` },
        },
      });
      const response = await handler.handle(stsForm({ ...valid, DurationSeconds: '900' }));
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/xml');
      expect(response.body).toMatch(
        /^<AssumeRoleWithWebIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAEXAMPLE<\/AccessKeyId>/,
      );
      expect(response.body).toContain(`<Expiration>2027-01-15T08:00:00Z</Expiration>`);
      expect(response.body).toContain(`<RequestId>${response.headers['x-amzn-requestid']}</RequestId>`);
      const [call] = services.callsTo('AssumeRoleWithWebIdentity');
      expect(call.request).toEqual({
        requestId: response.headers['x-amzn-requestid'],
        input: { ...valid, DurationSeconds: 900 },
      });
    });

    it('answers a service error as an STS ErrorResponse with the model status', async () => {
      services.answers.set(operationSubject('grants', 'AssumeRoleWithWebIdentity'), {
        ok: false,
        error: { name: 'IDPRejectedClaim', message: 'no' },
      });
      const response = await handler.handle(stsForm(valid));
      expect(response.status).toBe(403);
      expect(response.body).toContain(
        '<Error><Type>Sender</Type><Code>IDPRejectedClaim</Code><Message>no</Message></Error>',
      );
    });

    it('answers ValidationError for input the model refuses, without echoing the token', async () => {
      // Not hex: the answer's random RequestId cannot hold it by chance.
      const response = await handler.handle(stsForm({ ...valid, WebIdentityToken: 'zqz', DurationSeconds: '60' }));
      expect(response.status).toBe(400);
      expect(response.body).toContain('<Code>ValidationError</Code>');
      expect(response.body).toContain("Value at 'webIdentityToken' failed to satisfy constraint");
      expect(response.body).not.toContain('zqz');
      expect(services.calls).toEqual([]);
    });

    it('still requires a signature for a form that names another action or version', async () => {
      for (const params of [{ Action: 'AssumeRole' }, { Version: '2010-01-01' }]) {
        const response = await handler.handle(stsForm({ ...valid, ...params }));
        expect(response.status).toBe(403);
        expect(response.body).toContain('<Code>MissingAuthenticationToken</Code>');
      }
    });

    it('answers a signed request that names an unknown action with InvalidAction', async () => {
      const form = new URLSearchParams({ Action: 'GetCallerIdentity', Version: '2011-06-15' }).toString();
      const signed = await signWithSmithy('sts', {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      const response = await handler.handle(asHttp(signed));
      expect(response.status).toBe(400);
      expect(response.body).toContain('<Code>InvalidAction</Code>');
    });
  });

  describe('temporary credentials', () => {
    const checkout = lmRequest('GetLicense', { LicenseArn: LICENSE_ARN });

    it('resolves an unknown ASIA key from grants once, and calls with the assumed-role caller limited to its licence', async () => {
      services.answers.set(operationSubject('grants', 'ResolveSessionCredentials'), {
        ok: true,
        output: { Credentials: session(new Date(now.getTime() + 3600_000)) },
      });
      for (let i = 0; i < 2; i++) {
        const response = await handler.handle(
          asHttp(await signWithSmithy('license-manager', checkout, KEYS.temporary)),
        );
        expect(response.status).toBe(200);
      }
      expect(services.callsTo('ResolveSessionCredentials').map((call) => call.request.input)).toEqual([
        { AccessKeyId: KEYS.temporary.accessKeyId },
      ]);
      expect(services.callsTo('ResolveSessionCredentials')[0].request).not.toHaveProperty('caller');
      expect(services.callsTo('GetLicense')[0].request.caller).toEqual({
        accountId: ACCOUNT,
        principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/consumer/app-1`,
        accessKeyId: KEYS.temporary.accessKeyId,
        region: 'us-east-1',
        organization: {
          id: 'o-test',
          managementAccountId: '222222222222',
          rootId: 'r-root',
          organizationalUnitPath: ['r-root'],
        },
        restrictedToLicenseArn: LICENSE_ARN,
      });
    });

    it('refuses any operation but consuming the licence with AccessDeniedException naming it', async () => {
      services.answers.set(operationSubject('grants', 'ResolveSessionCredentials'), {
        ok: true,
        output: { Credentials: session(new Date(now.getTime() + 3600_000)) },
      });
      const response = await handler.handle(
        asHttp(await signWithSmithy('license-manager', lmRequest('ListLicenses', {}), KEYS.temporary)),
      );
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({
        __type: 'com.amazonaws.licensemanager#AccessDeniedException',
        Message: expect.stringContaining('ListLicenses'),
      });
      expect(services.callsTo('ListLicenses')).toEqual([]);
    });

    it('answers UnrecognizedClientException for an unknown key or a token that is not the session token', async () => {
      services.answers.set(operationSubject('grants', 'ResolveSessionCredentials'), {
        ok: true,
        output: { Credentials: null },
      });
      let response = await handler.handle(asHttp(await signWithSmithy('license-manager', checkout, KEYS.temporary)));
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body).__type).toMatch(/#UnrecognizedClientException$/);

      now = new Date(now.getTime() + 1_500); // past the one second a miss is remembered
      services.answers.set(operationSubject('grants', 'ResolveSessionCredentials'), {
        ok: true,
        output: { Credentials: session(new Date(now.getTime() + 3600_000)) },
      });
      response = await handler.handle(
        asHttp(
          await signWithSmithy('license-manager', checkout, { ...KEYS.temporary, sessionToken: 'another-token' }, now),
        ),
      );
      expect(JSON.parse(response.body).__type).toMatch(/#UnrecognizedClientException$/);
      response = await handler.handle(
        asHttp(await signWithSmithy('license-manager', checkout, { ...KEYS.temporary, secretAccessKey: 'wrong' }, now)),
      );
      expect(JSON.parse(response.body).__type).toMatch(/#InvalidSignatureException$/);
      expect(services.callsTo('GetLicense')).toEqual([]);
    });

    it('answers ExpiredTokenException once the credentials expired', async () => {
      services.answers.set(operationSubject('grants', 'ResolveSessionCredentials'), {
        ok: true,
        output: { Credentials: session(new Date(now.getTime() + 60_000)) },
      });
      expect(
        (await handler.handle(asHttp(await signWithSmithy('license-manager', checkout, KEYS.temporary)))).status,
      ).toBe(200);
      // Grants answers nothing for expired credentials; the gateway still knows them.
      services.answers.set(operationSubject('grants', 'ResolveSessionCredentials'), {
        ok: true,
        output: { Credentials: null },
      });
      now = new Date(now.getTime() + 61_000);
      const response = await handler.handle(
        asHttp(await signWithSmithy('license-manager', checkout, KEYS.temporary, now)),
      );
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({
        __type: expect.stringMatching(/#ExpiredTokenException$/),
        Message: 'The security token included in the request is expired',
      });
    });

    it('never asks grants about a long-term key, nor about a request without a session token', async () => {
      expect((await handler.handle(asHttp(await signWithSmithy('license-manager', checkout)))).status).toBe(200);
      const unknown = await handler.handle(
        asHttp(await signWithSmithy('license-manager', checkout, { accessKeyId: 'ASIANOTOKEN', secretAccessKey: 'x' })),
      );
      expect(unknown.status).toBe(403);
      expect(services.callsTo('ResolveSessionCredentials')).toEqual([]);
      expect(services.callsTo('GetLicense')[0].request.caller).not.toHaveProperty('restrictedToLicenseArn');
    });
  });
});
