import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { accounts, type RunningSystem } from '../support/system';
import { send, sign, type Signing, type WireAnswer, type WireRequest } from './signed-http';

/** A request crafted to get past SigV4, and the AWS error that must refuse it. */
export interface AuthenticationTrick {
  name: string;
  attempt(system: RunningSystem): Promise<WireAnswer>;
  refusal: { status: number; code: string; message?: RegExp };
}

const management = accounts.management.accessKeys[0];
const member = accounts.member.accessKeys[0];
const MINUTE = 60_000;

const listLicenses: WireRequest = {
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
  body: '{}',
};

const signing = (system: RunningSystem, overrides: Partial<Signing> = {}): Signing => ({
  ...management,
  region: system.region,
  service: 'license-manager',
  ...overrides,
});

/** Signs `request` as `overrides` say, lets `tamper` change what goes on the wire, and sends it. */
async function signedThen(
  system: RunningSystem,
  request: WireRequest,
  overrides: Partial<Signing> = {},
  tamper: (signed: WireRequest) => Omit<WireRequest, 'headers'> & { headers: Record<string, string | string[]> } = (
    signed,
  ) => signed,
): Promise<WireAnswer> {
  return send(system.endpoint, tamper(await sign(system.endpoint, request, signing(system, overrides))));
}

const SIGNATURE_MISMATCH = /^The request signature we calculated does not match the signature you provided/;
const mismatch = { status: 403, code: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };

/** A restJson1 path of the extensions API, signed for license-manager, sent with `path` instead. */
const reportResourcesAt = (path: string): WireRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: '{"Resources": []}',
});

export const AUTHENTICATION_TRICKS: AuthenticationTrick[] = [
  {
    name: 'a signature replayed 16 minutes after it was made',
    attempt: (system) => signedThen(system, listLicenses, { signingDate: new Date(Date.now() - 16 * MINUTE) }),
    refusal: { status: 403, code: 'InvalidSignatureException', message: /^Signature expired: / },
  },
  {
    name: 'a signature dated 16 minutes ahead',
    attempt: (system) => signedThen(system, listLicenses, { signingDate: new Date(Date.now() + 16 * MINUTE) }),
    refusal: { status: 403, code: 'InvalidSignatureException', message: /^Signature not yet current: / },
  },
  {
    name: 'a presigned URL used after it expired',
    attempt: async (system) => {
      const url = new URL(system.endpoint);
      const signer = new SignatureV4({
        ...signing(system, { service: 'license-manager-user-subscriptions' }),
        credentials: management,
        sha256: Sha256,
      });
      const presigned = await signer.presign(
        new HttpRequest({
          method: 'GET',
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: '/tags/arn%3Aaws%3Alicense-manager-user-subscriptions%3Aus-east-1%3A111111111111%3Aidentity-provider%2Fx',
          headers: { host: url.host },
        }),
        { signingDate: new Date(Date.now() - 2 * MINUTE), expiresIn: 60 },
      );
      const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
      return send(system.endpoint, { method: 'GET', path: `${presigned.path}?${query}`, headers: {}, body: '' });
    },
    refusal: { status: 403, code: 'InvalidSignatureException', message: /^Signature expired: / },
  },
  {
    name: 'a signature over another body',
    // Without the x-amz-content-sha256 the signer adds, the body is hashed as received.
    attempt: (system) =>
      signedThen(system, listLicenses, {}, ({ headers: { 'x-amz-content-sha256': _, ...headers }, ...signed }) => ({
        ...signed,
        headers,
        body: '{"MaxResults": 100}',
      })),
    refusal: mismatch,
  },
  {
    name: "another body under the signed body's x-amz-content-sha256",
    attempt: (system) =>
      signedThen(
        system,
        { ...listLicenses, headers: { ...listLicenses.headers, 'x-amz-content-sha256': sha256Of('{}') } },
        {},
        (signed) => ({ ...signed, body: '{"MaxResults": 100}' }),
      ),
    refusal: {
      status: 403,
      code: 'InvalidSignatureException',
      message: /^The provided 'x-amz-content-sha256' header does not match what was computed\.$/,
    },
  },
  {
    name: 'a signature for another host',
    attempt: (system) =>
      signedThen(system, listLicenses, {}, (signed) => ({
        ...signed,
        headers: { ...signed.headers, host: 'license-manager.example.com' },
      })),
    refusal: mismatch,
  },
  {
    name: 'a scope naming another Region',
    attempt: (system) => signedThen(system, listLicenses, { region: 'eu-west-1' }),
    refusal: {
      status: 403,
      code: 'InvalidSignatureException',
      message: /^Credential should be scoped to a valid region, not 'eu-west-1'\. $/,
    },
  },
  {
    name: 'a scope naming another service',
    attempt: (system) => signedThen(system, listLicenses, { service: 'kms' }),
    refusal: {
      status: 403,
      code: 'InvalidSignatureException',
      message: /^Credential should be scoped to correct service: 'license-manager'\. $/,
    },
  },
  {
    name: 'a license-manager scope on the operation signed for license-manager-user-subscriptions',
    attempt: (system) => signedThen(system, reportResourcesAt('/license-server/ReportLicenseServers')),
    refusal: {
      status: 403,
      code: 'InvalidSignatureException',
      message: /^Credential should be scoped to correct service: 'license-manager-user-subscriptions'\. $/,
    },
  },
  {
    name: 'a signed header sent twice (the target of another operation added)',
    attempt: (system) =>
      signedThen(system, listLicenses, {}, (signed) => ({
        ...signed,
        headers: {
          ...signed.headers,
          'x-amz-target': [signed.headers['x-amz-target'], 'AWSLicenseManager.DeleteLicense'],
        },
      })),
    refusal: mismatch,
  },
  {
    name: 'the date header sent twice',
    attempt: (system) =>
      signedThen(system, listLicenses, {}, (signed) => ({
        ...signed,
        headers: { ...signed.headers, 'x-amz-date': [signed.headers['x-amz-date'], signed.headers['x-amz-date']] },
      })),
    refusal: { status: 403, code: 'IncompleteSignatureException', message: /^Date must be in ISO-8601 'basic format'/ },
  },
  {
    name: 'a signed header whose value changed case only',
    attempt: (system) =>
      signedThen(system, listLicenses, {}, (signed) => ({
        ...signed,
        headers: { ...signed.headers, 'x-amz-target': 'AWSLicenseManager.LISTLICENSES' },
      })),
    refusal: mismatch,
  },
  {
    name: 'an Authorization that leaves the host unsigned',
    attempt: (system) =>
      signedThen(system, listLicenses, {}, (signed) => ({
        ...signed,
        headers: {
          ...signed.headers,
          authorization: signed.headers.authorization.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date'),
        },
      })),
    refusal: {
      status: 403,
      code: 'IncompleteSignatureException',
      message: /^'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization\.$/,
    },
  },
  {
    name: "one account's access key with another account's secret",
    attempt: (system) =>
      signedThen(system, listLicenses, {
        accessKeyId: management.accessKeyId,
        secretAccessKey: member.secretAccessKey,
      }),
    refusal: mismatch,
  },
  {
    name: 'a temporary access key grants never issued, with a session token',
    attempt: (system) =>
      signedThen(system, listLicenses, {
        accessKeyId: 'ASIAFORGEDFORGEDFORG',
        secretAccessKey: 'forged'.repeat(7),
        sessionToken: 'forged-session-token',
      }),
    refusal: { status: 403, code: 'UnrecognizedClientException' },
  },
  {
    name: 'a presigned URL claiming a temporary key that holds U+0000 (a 503 before this suite)',
    attempt: (system) => {
      const query = new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `ASIA\u0000FORGEDFORGEDFOR/${amzDate().slice(0, 8)}/${system.region}/license-manager-user-subscriptions/aws4_request`,
        'X-Amz-Date': amzDate(),
        'X-Amz-Expires': '60',
        'X-Amz-SignedHeaders': 'host',
        'X-Amz-Signature': '0'.repeat(64),
        'X-Amz-Security-Token': 'forged-session-token',
      });
      return send(system.endpoint, { method: 'GET', path: `/tags/x?${query}`, headers: {}, body: '' });
    },
    refusal: { status: 403, code: 'UnrecognizedClientException' },
  },
  {
    name: 'a long-term key with a session token',
    attempt: (system) => signedThen(system, listLicenses, { sessionToken: 'not-a-session-of-this-key' }),
    refusal: { status: 403, code: 'UnrecognizedClientException' },
  },
  {
    name: 'a restJson path with a dot-dot segment',
    attempt: (system) => signedThen(system, reportResourcesAt('/license-server/../inventory/ReportResources')),
    refusal: { status: 400, code: 'UnknownOperationException' },
  },
  {
    name: 'a restJson path with percent-encoded dot segments',
    attempt: (system) => signedThen(system, reportResourcesAt('/%2e%2e/inventory/ReportResources')),
    refusal: { status: 400, code: 'UnknownOperationException' },
  },
  {
    name: 'a restJson path joining segments with an encoded slash',
    attempt: (system) => signedThen(system, reportResourcesAt('/inventory%2FReportResources')),
    refusal: { status: 400, code: 'UnknownOperationException' },
  },
  {
    name: 'a traversal inside a URI label',
    attempt: (system) =>
      signedThen(
        system,
        { method: 'GET', path: '/tags/..%2F..%2Finventory%2FReportResources', headers: {}, body: '' },
        { service: 'license-manager-user-subscriptions' },
      ),
    refusal: { status: 400, code: 'ValidationException', message: /at 'resourceArn' failed to satisfy constraint/ },
  },
  {
    name: 'a URI label whose percent-escapes are not UTF-8 or not escapes (a bare 400 of Express before this suite)',
    attempt: async (system) => {
      const answers = await Promise.all(
        ['/tags/%ff', '/tags/%zz', '/tags/%E0%A4%A'].map((path) =>
          signedThen(
            system,
            { method: 'GET', path, headers: {}, body: '' },
            { service: 'license-manager-user-subscriptions' },
          ),
        ),
      );
      return answers.find((answer) => answer.code !== 'ValidationException') ?? answers[0];
    },
    refusal: { status: 400, code: 'ValidationException', message: /at 'resourceArn' failed to satisfy constraint/ },
  },
  {
    name: 'a double-encoded ARN in a URI label',
    attempt: (system) =>
      signedThen(
        system,
        {
          method: 'GET',
          path: '/tags/arn%253Aaws%253Alicense-manager-user-subscriptions%253Aus-east-1%253A111111111111%253Aidentity-provider%252Fx',
          headers: {},
          body: '',
        },
        { service: 'license-manager-user-subscriptions' },
      ),
    refusal: { status: 400, code: 'ValidationException', message: /at 'resourceArn' failed to satisfy constraint/ },
  },
];

/** Now in SigV4's basic format: 20261202T120000Z. */
function amzDate(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
