import type { LicenseManager } from '@lm/api-model';
import { errorFromResponse } from './api-error';
import type { Credentials, Endpoint } from './credentials';
import { signRequest } from './sign-request';

export type LicenseManagerOperation = keyof LicenseManager.Operations;
export type InputOf<O extends LicenseManagerOperation> = LicenseManager.Operations[O]['input'];
export type OutputOf<O extends LicenseManagerOperation> = LicenseManager.Operations[O]['output'];

/** How the client sends a signed request: fetch, or a test's stand-in for it. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The license-manager API as the AWS SDKs call it: awsJson1_1, `POST /` with X-Amz-Target
 * `AWSLicenseManager.<Operation>`, signed for the service name license-manager. Typed with the
 * API model's generated shapes, the same the gateway validates against.
 */
export class LicenseManagerClient {
  constructor(
    private readonly credentials: Credentials,
    private readonly endpoint: Endpoint,
    private readonly fetchFn: Fetch = (url, init) => fetch(url, init),
  ) {}

  async call<O extends LicenseManagerOperation>(operation: O, input: InputOf<O>): Promise<OutputOf<O>> {
    const signed = await signRequest(
      {
        service: 'license-manager',
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSLicenseManager.${operation}`,
        },
        body: JSON.stringify(input),
      },
      this.credentials,
      this.endpoint,
    );
    // No cookies either way: the signature is the only credential, and nothing is cached.
    const response = await this.fetchFn(signed.url, {
      method: signed.method,
      headers: signed.headers,
      body: signed.body,
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, response.headers, text);
    return (text ? JSON.parse(text) : {}) as OutputOf<O>;
  }
}
