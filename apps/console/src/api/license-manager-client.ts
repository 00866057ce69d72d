import type { LicenseManager } from '@lm/api-model';
import type { Credentials, Endpoint } from './credentials';
import { signedJsonPost, type Fetch } from './signed-post';

export type { Fetch } from './signed-post';
export type LicenseManagerOperation = keyof LicenseManager.Operations;
export type InputOf<O extends LicenseManagerOperation> = LicenseManager.Operations[O]['input'];
export type OutputOf<O extends LicenseManagerOperation> = LicenseManager.Operations[O]['output'];

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
    const output = await signedJsonPost(
      {
        service: 'license-manager',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSLicenseManager.${operation}`,
        },
        body: JSON.stringify(input),
      },
      this.credentials,
      this.endpoint,
      this.fetchFn,
    );
    return output as OutputOf<O>;
  }
}
