import { Sha256 } from '@aws-crypto/sha256-browser';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials, Endpoint } from './credentials';

export interface UnsignedRequest {
  /** The SigV4 service name of the credential scope (license-manager, license-manager-user-subscriptions, ...). */
  service: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Signs a request with SigV4 in the browser, the way the AWS SDKs do (@smithy/signature-v4, SHA-256 by
 * WebCrypto where the page is a secure context and in JavaScript elsewhere). The Host header is signed
 * as the browser will send it; the secret never leaves this function's caller's memory.
 */
export async function signRequest(
  request: UnsignedRequest,
  credentials: Credentials,
  endpoint: Endpoint,
  now: Date = new Date(),
): Promise<SignedRequest> {
  const url = new URL(request.path, endpoint.origin);
  const signer = new SignatureV4({
    service: request.service,
    region: endpoint.region,
    credentials,
    sha256: Sha256,
    // The gateway canonicalizes the path as sent, like every AWS service but S3.
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...request.headers, host: url.host },
      body: request.body,
    }),
    { signingDate: now },
  );
  // The browser sets Host itself (a forbidden header name); it is the one signed above.
  const { host: _host, ...headers } = signed.headers;
  return { url: url.toString(), method: request.method, headers, body: request.body };
}
