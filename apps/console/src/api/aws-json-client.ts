import type { Credentials, Endpoint } from './credentials';
import { signedJsonPost, type Fetch } from './signed-post';

/** What an awsJson API's client needs to know of it: the SigV4 service, the target prefix, the JSON version. */
export interface AwsJsonApi {
  service: string;
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
}

/**
 * An awsJson API as the AWS SDKs call it: `POST /` with `X-Amz-Target: <prefix>.<Operation>`, the input
 * as JSON, signed for the API's service name. Typed with the API model's generated shapes.
 */
export class AwsJsonClient<Operations extends { [O in keyof Operations]: { input: unknown; output: unknown } }> {
  constructor(
    private readonly api: AwsJsonApi,
    private readonly credentials: Credentials,
    private readonly endpoint: Endpoint,
    private readonly fetchFn: Fetch = (url, init) => fetch(url, init),
  ) {}

  async call<O extends keyof Operations & string>(
    operation: O,
    input: Operations[O]['input'],
  ): Promise<Operations[O]['output']> {
    const output = await signedJsonPost(
      {
        service: this.api.service,
        path: '/',
        headers: {
          'content-type': `application/x-amz-json-${this.api.jsonVersion}`,
          'x-amz-target': `${this.api.targetPrefix}.${operation}`,
        },
        body: JSON.stringify(input),
      },
      this.credentials,
      this.endpoint,
      this.fetchFn,
    );
    return output as Operations[O]['output'];
  }
}
