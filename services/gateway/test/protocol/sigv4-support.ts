import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ReceivedRequest } from '../../src/protocol';

/** Test credentials; the verifier finds them through `findSecret`. */
export const KEYS = {
  longTerm: { accessKeyId: 'AKIDLONGTERM', secretAccessKey: 'long-term-secret/abc+def' },
  temporary: { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temporary-secret', sessionToken: 'session-token-xyz' },
};

export function findSecret(accessKeyId: string) {
  return Object.values(KEYS).find((key) => key.accessKeyId === accessKeyId);
}

export const SIGNED_AT = new Date('2024-05-01T12:00:00Z');

export interface RequestSpec {
  method: string;
  /** The path exactly as it goes on the wire. */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

function signer(service: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Sha256 });
}

function httpRequest(spec: RequestSpec): HttpRequest {
  return new HttpRequest({
    method: spec.method,
    protocol: 'http:',
    hostname: 'localhost',
    port: 8080,
    path: spec.path,
    query: spec.query ?? {},
    headers: { host: 'localhost:8080', ...spec.headers },
    body: spec.body,
  });
}

/** Signs with @smithy/signature-v4 (what the AWS SDK for JavaScript v3 uses) and returns what a server receives. */
export async function signWithSmithy(
  service: string,
  spec: RequestSpec,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = KEYS.longTerm,
  signingDate = SIGNED_AT,
): Promise<ReceivedRequest> {
  const signed = await signer(service, credentials).sign(httpRequest(spec), { signingDate });
  return received(signed as HttpRequest);
}

export async function presignWithSmithy(
  service: string,
  spec: RequestSpec,
  expiresIn: number,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = KEYS.longTerm,
): Promise<ReceivedRequest> {
  const signed = await signer(service, credentials).presign(httpRequest(spec), { signingDate: SIGNED_AT, expiresIn });
  return received(signed as HttpRequest);
}

/**
 * The request as the server sees it. The query is written with encodeURIComponent, which
 * encodes less than the signer's RFC 3986 escaping ('!', '(', ... stay bare): the verifier
 * must canonicalize from the values, not from the client's choice of escapes.
 */
export function received(request: HttpRequest): ReceivedRequest {
  const query = Object.entries(request.query)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (item) => `${encodeURIComponent(key)}=${encodeURIComponent(item ?? '')}`,
      ),
    )
    .join('&');
  return {
    method: request.method,
    path: request.path,
    query,
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: Buffer.from((request.body as string | undefined) ?? ''),
  };
}
