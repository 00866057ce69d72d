import type { LicenseManager } from '@lm/api-model';
import { AwsJsonClient } from './aws-json-client';
import type { Credentials, Endpoint } from './credentials';
import type { Fetch } from './signed-post';

export type { Fetch } from './signed-post';
export type LicenseManagerOperation = keyof LicenseManager.Operations;
export type InputOf<O extends LicenseManagerOperation> = LicenseManager.Operations[O]['input'];
export type OutputOf<O extends LicenseManagerOperation> = LicenseManager.Operations[O]['output'];

/**
 * The license-manager API as the AWS SDKs call it: awsJson1_1, `POST /` with X-Amz-Target
 * `AWSLicenseManager.<Operation>`, signed for the service name license-manager. Typed with the
 * API model's generated shapes, the same the gateway validates against.
 */
export class LicenseManagerClient extends AwsJsonClient<LicenseManager.Operations> {
  constructor(credentials: Credentials, endpoint: Endpoint, fetchFn?: Fetch) {
    super(
      { service: 'license-manager', targetPrefix: 'AWSLicenseManager', jsonVersion: '1.1' },
      credentials,
      endpoint,
      fetchFn,
    );
  }
}
