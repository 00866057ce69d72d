import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateLicenseConfigurationCommand, LicenseManagerClient } from '@aws-sdk/client-license-manager';
import type { HttpRequest } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, verifySigV4, type ReceivedRequest } from '../../src/protocol';
import { KEYS, SIGNED_AT, findSecret, presignWithSmithy, received, signWithSmithy } from './sigv4-support';

const USER_SUBSCRIPTIONS = 'license-manager-user-subscriptions';
const ARN = 'arn:aws:license-manager-user-subscriptions:us-east-1:123456789012:identity-provider/abc';
/** The path as the AWS SDKs send it: the label escaped with RFC 3986, ':' and '/' included. */
const ENCODED_TAGS_PATH = `/tags/${ARN.replace(/:/g, '%3A').replace(/\//g, '%2F')}`;

const REGION = 'us-east-1';
const at = (date: Date) => ({ findSecret, now: date, region: REGION });
const minutes = (n: number) => new Date(SIGNED_AT.getTime() + n * 60_000);

function rejection(request: ReceivedRequest, now = SIGNED_AT, region = REGION): AuthenticationError {
  try {
    verifySigV4(request, { ...at(now), region });
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    const failure = error as AuthenticationError;
    expect(failure.httpStatus).toBe(403);
    for (const key of Object.values(KEYS)) expect(failure.message).not.toContain(key.secretAccessKey);
    return failure;
  }
  throw new Error('the request was accepted');
}

const awsJsonCreate = {
  method: 'POST',
  path: '/',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AWSLicenseManager.CreateLicenseConfiguration',
  },
  body: JSON.stringify({ Name: 'cfg', LicenseCountingType: 'vCPU' }),
};

describe('verifySigV4 with requests signed by @smithy/signature-v4', () => {
  it('accepts an awsJson POST / with X-Amz-Target and reports the scope', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    expect(verifySigV4(request, at(SIGNED_AT))).toEqual({
      accessKeyId: KEYS.longTerm.accessKeyId,
      date: SIGNED_AT,
      region: 'us-east-1',
      service: 'license-manager',
    });
  });

  it('accepts a restJson path sent with the label percent-encoded', async () => {
    const request = await signWithSmithy(USER_SUBSCRIPTIONS, { method: 'GET', path: ENCODED_TAGS_PATH });
    expect(verifySigV4(request, at(SIGNED_AT)).service).toBe(USER_SUBSCRIPTIONS);
  });

  it('accepts a restJson path sent with literal colons', async () => {
    const request = await signWithSmithy(USER_SUBSCRIPTIONS, {
      method: 'GET',
      path: `/tags/${ARN.replace('/abc', '%2Fabc')}`,
    });
    expect(verifySigV4(request, at(SIGNED_AT)).service).toBe(USER_SUBSCRIPTIONS);
  });

  it('canonicalizes the path as sent, not a decoded form of it', async () => {
    const request = await signWithSmithy(USER_SUBSCRIPTIONS, { method: 'GET', path: ENCODED_TAGS_PATH });
    const decodedOnTheWay = { ...request, path: decodeURIComponent(ENCODED_TAGS_PATH) };
    expect(rejection(decodedOnTheWay).code).toBe('InvalidSignatureException');
  });

  it('accepts repeated query parameters and values needing escapes', async () => {
    const request = await signWithSmithy(USER_SUBSCRIPTIONS, {
      method: 'DELETE',
      path: ENCODED_TAGS_PATH,
      query: { tagKeys: ['zeta', 'cost center', "it's(1)!", 'alpha*'] },
    });
    expect(request.query).toContain("it's(1)!");
    expect(verifySigV4(request, at(SIGNED_AT)).accessKeyId).toBe(KEYS.longTerm.accessKeyId);
  });

  it('accepts temporary credentials with their session token', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate, KEYS.temporary);
    expect(request.headers['x-amz-security-token']).toBe(KEYS.temporary.sessionToken);
    expect(verifySigV4(request, at(SIGNED_AT)).accessKeyId).toBe(KEYS.temporary.accessKeyId);
  });

  it('uses x-amz-content-sha256 as the payload hash, including UNSIGNED-PAYLOAD', async () => {
    const request = await signWithSmithy('license-manager', {
      ...awsJsonCreate,
      headers: { ...awsJsonCreate.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(verifySigV4({ ...request, body: Buffer.from('{"other":"body"}') }, at(SIGNED_AT)).service).toBe(
      'license-manager',
    );
  });

  it('rejects a body that does not match the x-amz-content-sha256 it declares', async () => {
    const request = await signWithSmithy('license-manager', {
      ...awsJsonCreate,
      headers: {
        ...awsJsonCreate.headers,
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
    });
    expect(rejection(request).code).toBe('InvalidSignatureException');
  });

  it('allows 15 minutes of clock skew either way', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    expect(() => verifySigV4(request, at(minutes(14)))).not.toThrow();
    expect(() => verifySigV4(request, at(minutes(-14)))).not.toThrow();
    expect(() =>
      verifySigV4(request, { findSecret, now: minutes(20), region: REGION, maxSkewMs: 30 * 60_000 }),
    ).not.toThrow();
  });

  it('ignores unsigned headers', async () => {
    const request = await signWithSmithy('license-manager', {
      ...awsJsonCreate,
      headers: { ...awsJsonCreate.headers },
    });
    const withProxyHeaders = {
      ...request,
      headers: { ...request.headers, 'user-agent': 'changed', 'x-forwarded-for': '10.0.0.1' },
    };
    expect(() => verifySigV4(withProxyHeaders, at(SIGNED_AT))).not.toThrow();
  });
});

describe('verifySigV4 with the real @aws-sdk/client-license-manager', () => {
  it('accepts what the SDK sends for CreateLicenseConfiguration', async () => {
    let sent: HttpRequest | undefined;
    const client = new LicenseManagerClient({
      region: 'eu-west-1',
      endpoint: 'http://localhost:8080',
      credentials: KEYS.longTerm,
      requestHandler: {
        handle: async (request: HttpRequest) => {
          sent = request;
          const body = Readable.from([Buffer.from('{"LicenseConfigurationArn":"arn:x"}')]);
          return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body } };
        },
      },
    });
    await client.send(new CreateLicenseConfigurationCommand({ Name: 'n', LicenseCountingType: 'Core' }));
    expect(sent).toBeDefined();
    const request = received(sent!);
    expect(request.headers['x-amz-target']).toBe('AWSLicenseManager.CreateLicenseConfiguration');
    const identity = verifySigV4(request, { findSecret, now: new Date(), region: 'eu-west-1' });
    expect(identity).toMatchObject({ region: 'eu-west-1', service: 'license-manager' });
    // The same signature at an endpoint of another Region is refused before any secret is looked at.
    expect(() => verifySigV4(request, { findSecret: () => undefined, now: new Date(), region: REGION })).toThrow(
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    );
  });
});

interface BotocoreRequest {
  case: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  bodyBase64: string;
}

/** Requests signed by boto3/botocore (the AWS CLI's signer); regenerate with fixtures/generate-botocore-requests.py. */
const botocore = JSON.parse(readFileSync(join(__dirname, 'fixtures/botocore-requests.json'), 'utf8')) as {
  signedAt: string;
  requests: BotocoreRequest[];
};
const botocoreKeys = (accessKeyId: string) =>
  accessKeyId === 'AKIDBOTOCORE' ? { secretAccessKey: 'botocore-secret', sessionToken: undefined } : undefined;

describe('verifySigV4 with requests signed by botocore', () => {
  const asReceived = (request: BotocoreRequest): ReceivedRequest => ({
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: Buffer.from(request.bodyBase64, 'base64'),
  });

  it.each(botocore.requests.map((request) => [request.case, request] as const))('accepts %s', (_, request) => {
    const withToken = request.headers['x-amz-security-token'];
    const identity = verifySigV4(asReceived(request), {
      findSecret: (id) => {
        const key = botocoreKeys(id);
        return key && { secretAccessKey: key.secretAccessKey, sessionToken: withToken };
      },
      now: new Date(botocore.signedAt),
      region: REGION,
    });
    expect(identity.accessKeyId).toBe('AKIDBOTOCORE');
    expect(identity.service).toMatch(/^license-manager/);
  });

  it('rejects them with another secret', () => {
    const request = botocore.requests[1];
    expect(() =>
      verifySigV4(asReceived(request), {
        findSecret: () => ({ secretAccessKey: 'other' }),
        now: new Date(botocore.signedAt),
        region: REGION,
      }),
    ).toThrow(/does not match/);
  });
});

/**
 * Vectors of the AWS Signature Version 4 test suite (2011 edition): they sign with the HTTP
 * Date header instead of X-Amz-Date and cover path normalization and query ordering.
 */
describe('verifySigV4 with AWS test-suite vectors', () => {
  const suiteKey = (id: string) =>
    id === 'AKIDEXAMPLE' ? { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } : undefined;
  const suiteNow = new Date('2011-09-09T23:40:00Z');
  const vector = (method: string, pathAndQuery: string, signature: string, signedHeaders = 'date;host', extra = {}) => {
    const [path, query = ''] = pathAndQuery.split('?');
    return {
      method,
      path,
      query,
      headers: {
        date: 'Mon, 09 Sep 2011 23:36:00 GMT',
        host: 'host.foo.com',
        ...extra,
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, ' +
          `SignedHeaders=${signedHeaders}, Signature=${signature}`,
      },
      body: Buffer.alloc(0),
    };
  };
  const vectors = {
    'get-relative-relative': vector(
      'GET',
      '/foo/bar/../..',
      'b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470',
    ),
    'get-slash-dot-slash': vector('GET', '/./', 'b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470'),
    'get-slash-pointless-dot': vector(
      'GET',
      '/./foo',
      '910e4d6c9abafaf87898e1eb4c929135782ea25bb0279703146455745391e63a',
    ),
    'get-slashes': vector('GET', '//foo//', 'b00392262853cfe3201e47ccf945601079e9b8a7f51ee4c3d9ee4f187aa9bf19'),
    'get-unreserved': vector(
      'GET',
      '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      '830cc36d03f0f84e6ee4953fbe701c1c8b71a0372c63af9255aa364dd183281e',
    ),
    'get-vanilla-query-order-key-case': vector(
      'GET',
      '/?foo=Zoo&foo=aha',
      'be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09',
    ),
    'get-vanilla-query-order-value': vector(
      'GET',
      '/?foo=b&foo=a',
      'feb926e49e382bec75c9d7dcb2a1b6dc8aa50ca43c25d2bc51143768c0875acc',
    ),
    'get-header-value-trim': vector(
      'POST',
      '/',
      'debf546796015d6f6ded8626f5ce98597c33b47b9164cf6b17b4642036fcb592',
      'date;host;p',
      {
        p: ' phfft ',
      },
    ),
  };

  it.each(Object.entries(vectors))('accepts %s', (_, request) => {
    expect(verifySigV4(request, { findSecret: suiteKey, now: suiteNow, region: REGION })).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      date: new Date('2011-09-09T23:36:00Z'),
      region: 'us-east-1',
      service: 'host',
    });
  });
});

describe('verifySigV4 with presigned URLs', () => {
  const listTags = { method: 'GET', path: ENCODED_TAGS_PATH };

  it('accepts a URL presigned by @smithy/signature-v4 until it expires', async () => {
    const request = await presignWithSmithy(USER_SUBSCRIPTIONS, listTags, 300);
    expect(request.headers['authorization']).toBeUndefined();
    expect(verifySigV4(request, at(minutes(4))).service).toBe(USER_SUBSCRIPTIONS);
    const expired = rejection(request, minutes(6));
    expect(expired.code).toBe('InvalidSignatureException');
    expect(expired.message).toMatch(/^Signature expired: 20240501T120500Z is now earlier than 20240501T120600Z/);
  });

  it('accepts a presigned URL of temporary credentials, whose token travels in the query', async () => {
    const request = await presignWithSmithy(USER_SUBSCRIPTIONS, listTags, 300, KEYS.temporary);
    expect(request.query).toContain('X-Amz-Security-Token=');
    expect(verifySigV4(request, at(SIGNED_AT)).accessKeyId).toBe(KEYS.temporary.accessKeyId);
  });

  it('rejects a presigned URL whose query was altered', async () => {
    const request = await presignWithSmithy(USER_SUBSCRIPTIONS, listTags, 300);
    expect(rejection({ ...request, query: `${request.query}&extra=1` }).code).toBe('InvalidSignatureException');
    expect(request.query).toContain('X-Amz-Expires=300');
    const longer = request.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000');
    expect(rejection({ ...request, query: longer }).code).toBe('InvalidSignatureException');
  });

  it('rejects incomplete or malformed presign parameters', async () => {
    const request = await presignWithSmithy(USER_SUBSCRIPTIONS, listTags, 300);
    const withoutSignature = request.query.replace(/&?X-Amz-Signature=[0-9a-f]+/, '');
    const missing = rejection({ ...request, query: withoutSignature });
    expect(missing.code).toBe('IncompleteSignatureException');
    expect(missing.message).toContain("'X-Amz-Signature'");
    const tooLong = request.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801');
    expect(rejection({ ...request, query: tooLong }).code).toBe('IncompleteSignatureException');
  });
});

describe('verifySigV4 errors', () => {
  it('answers MissingAuthenticationTokenException without Authorization or presign parameters', () => {
    const error = rejection({
      method: 'POST',
      path: '/',
      query: '',
      headers: { host: 'localhost:8080' },
      body: Buffer.alloc(0),
    });
    expect(error).toMatchObject({
      code: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it.each([
    ['a non-SigV4 scheme', 'Bearer abc.def', "Authorization header requires 'Credential' parameter."],
    [
      'a header without Signature',
      'AWS4-HMAC-SHA256 Credential=AKIDLONGTERM/20240501/us-east-1/license-manager/aws4_request, SignedHeaders=host;x-amz-date',
      "Authorization header requires 'Signature' parameter.",
    ],
    [
      'another algorithm',
      'AWS4-HMAC-SHA512 Credential=AKIDLONGTERM/20240501/us-east-1/license-manager/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.",
    ],
    [
      'a credential with a bad terminator',
      'AWS4-HMAC-SHA256 Credential=AKIDLONGTERM/20240501/us-east-1/license-manager/aws5_request, SignedHeaders=host;x-amz-date, Signature=00',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
    ],
    [
      'a credential without scope',
      'AWS4-HMAC-SHA256 Credential=AKIDLONGTERM, SignedHeaders=host;x-amz-date, Signature=00',
      'Credential must have the form',
    ],
    [
      'unsigned Host',
      'AWS4-HMAC-SHA256 Credential=AKIDLONGTERM/20240501/us-east-1/license-manager/aws4_request, SignedHeaders=x-amz-date, Signature=00',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    ],
  ])('answers IncompleteSignatureException for %s', (_, authorization, message) => {
    const error = rejection({
      method: 'POST',
      path: '/',
      query: '',
      headers: { host: 'localhost:8080', 'x-amz-date': '20240501T120000Z', authorization },
      body: Buffer.alloc(0),
    });
    expect(error.code).toBe('IncompleteSignatureException');
    expect(error.message).toContain(message);
  });

  it('answers IncompleteSignatureException for a malformed or missing date', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    const badDate = rejection({ ...request, headers: { ...request.headers, 'x-amz-date': '2024-05-01T12:00:00Z' } });
    expect(badDate.code).toBe('IncompleteSignatureException');
    expect(badDate.message).toContain("Date must be in ISO-8601 'basic format'. Got '2024-05-01T12:00:00Z'.");
    // In the basic format's shape, but no such time: Date.UTC would roll each over into another.
    for (const impossible of ['20240231T120000Z', '20240501T240000Z', '20240501T120060Z', '00500101T000000Z']) {
      const rolledOver = rejection({ ...request, headers: { ...request.headers, 'x-amz-date': impossible } });
      expect(rolledOver.message).toContain(`Date must be in ISO-8601 'basic format'. Got '${impossible}'.`);
    }
    const { 'x-amz-date': _, ...withoutDate } = request.headers;
    const noDate = rejection({ ...request, headers: withoutDate });
    expect(noDate.message).toContain(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  });

  it('answers UnrecognizedClientException for an unknown access key', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate, {
      accessKeyId: 'AKIDUNKNOWN',
      secretAccessKey: 'x',
    });
    expect(rejection(request)).toMatchObject({
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('answers InvalidSignatureException when anything signed was changed or the secret is wrong', async () => {
    const message =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
      'and signing method. Consult the service documentation for details.';
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    const otherBody = Buffer.from(JSON.stringify({ Name: 'cfg', LicenseCountingType: 'Core' }));
    // @smithy/signature-v4 sends the body hash it signed in x-amz-content-sha256.
    expect(rejection({ ...request, body: otherBody })).toMatchObject({
      code: 'InvalidSignatureException',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    });
    const { 'x-amz-content-sha256': _, ...withoutHashHeader } = request.headers;
    const tampered: ReceivedRequest[] = [
      { ...request, headers: withoutHashHeader, body: otherBody },
      { ...request, headers: { ...request.headers, 'x-amz-target': 'AWSLicenseManager.DeleteLicenseConfiguration' } },
      { ...request, path: '/other' },
      { ...request, query: 'a=1' },
      { ...request, method: 'PUT' },
      { ...request, headers: { ...request.headers, host: 'evil.example' } },
    ];
    for (const changed of tampered)
      expect(rejection(changed)).toMatchObject({ code: 'InvalidSignatureException', message });
    const wrongSecret = await signWithSmithy('license-manager', awsJsonCreate, {
      ...KEYS.longTerm,
      secretAccessKey: 'guess',
    });
    expect(rejection(wrongSecret)).toMatchObject({ code: 'InvalidSignatureException', message });
  });

  it('answers InvalidSignatureException with AWS wording for a timestamp over 15 minutes off', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    expect(rejection(request, minutes(16))).toMatchObject({
      code: 'InvalidSignatureException',
      message: 'Signature expired: 20240501T120000Z is now earlier than 20240501T120100Z (20240501T121600Z - 15 min.)',
    });
    expect(rejection(request, minutes(-16))).toMatchObject({
      code: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20240501T120000Z is still later than 20240501T115900Z (20240501T114400Z + 15 min.)',
    });
  });

  it('answers InvalidSignatureException when the scope date is not the request date', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    const authorization = request.headers['authorization']!.replace('/20240501/', '/20240430/');
    const error = rejection({ ...request, headers: { ...request.headers, authorization } });
    expect(error.code).toBe('InvalidSignatureException');
    expect(error.message).toContain("'20240430' != '20240501'");
  });

  it('answers InvalidSignatureException when the scope names another Region, valid signature or not', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate);
    const error = rejection(request, SIGNED_AT, 'eu-west-1');
    expect(error.code).toBe('InvalidSignatureException');
    expect(error.message).toBe("Credential should be scoped to a valid region, not 'us-east-1'. ");
    const presigned = await presignWithSmithy('license-manager', awsJsonCreate, 300);
    expect(rejection(presigned, SIGNED_AT, 'eu-west-1').message).toContain("not 'us-east-1'");
  });

  it('answers UnrecognizedClientException for a missing, wrong or unexpected session token', async () => {
    const temporary = await signWithSmithy('license-manager', awsJsonCreate, KEYS.temporary);
    const { 'x-amz-security-token': _, ...withoutToken } = temporary.headers;
    expect(rejection({ ...temporary, headers: withoutToken }).code).toBe('UnrecognizedClientException');

    const wrongToken = await signWithSmithy('license-manager', awsJsonCreate, {
      ...KEYS.temporary,
      sessionToken: 'forged',
    });
    expect(rejection(wrongToken).code).toBe('UnrecognizedClientException');

    const longTermWithToken = await signWithSmithy('license-manager', awsJsonCreate, {
      ...KEYS.longTerm,
      sessionToken: 'x',
    });
    expect(rejection(longTermWithToken).code).toBe('UnrecognizedClientException');
  });

  it('answers ExpiredTokenException for temporary credentials past their expiry, once the signature is right', async () => {
    const request = await signWithSmithy('license-manager', awsJsonCreate, KEYS.temporary);
    const expiring = (expiresAt: Date, secretAccessKey = KEYS.temporary.secretAccessKey) => ({
      findSecret: () => ({ secretAccessKey, sessionToken: KEYS.temporary.sessionToken, expiresAt }),
      now: SIGNED_AT,
      region: REGION,
    });
    expect(verifySigV4(request, expiring(minutes(1))).accessKeyId).toBe(KEYS.temporary.accessKeyId);
    expect(() => verifySigV4(request, expiring(SIGNED_AT))).toThrow(
      expect.objectContaining({
        code: 'ExpiredTokenException',
        httpStatus: 403,
        message: 'The security token included in the request is expired',
      }),
    );
    // Whoever does not hold the secret learns nothing about the credentials' expiry.
    expect(() => verifySigV4(request, expiring(minutes(-1), 'wrong-secret'))).toThrow(
      expect.objectContaining({ code: 'InvalidSignatureException' }),
    );
  });
});
