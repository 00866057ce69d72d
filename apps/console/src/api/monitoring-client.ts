import type { Monitoring } from '@lm/api-model';
import { AwsJsonClient } from './aws-json-client';
import type { Credentials, Endpoint } from './credentials';
import type { Fetch } from './signed-post';

/**
 * The CloudWatch subset the gateway serves the usage metrics with (reporting), in awsJson1_0 as the AWS
 * CLI and the JS SDK's CloudWatch client send it: `X-Amz-Target: GraniteServiceVersion20100801.<Op>`,
 * signed for the service name monitoring. Timestamps are epoch seconds both ways.
 */
export class MonitoringClient extends AwsJsonClient<Monitoring.Operations> {
  constructor(credentials: Credentials, endpoint: Endpoint, fetchFn?: Fetch) {
    super(
      { service: 'monitoring', targetPrefix: 'GraniteServiceVersion20100801', jsonVersion: '1.0' },
      credentials,
      endpoint,
      fetchFn,
    );
  }
}
