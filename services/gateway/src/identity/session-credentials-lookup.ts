import { randomUUID } from 'node:crypto';
import {
  NoRespondersError,
  OperationTimeoutError,
  operationSubject,
  type OperationClient,
  type ResolveSessionCredentialsRequest,
  type ResolveSessionCredentialsResponse,
} from '@lm/messaging';
import { GatewayError } from '../protocol';
import type { SessionCredentialsLookup } from './session-credentials';

/** Asks grants, which issues temporary credentials (AssumeRoleWithWebIdentity), for those of an access key. */
export function sessionCredentialsFromGrants(client: OperationClient): SessionCredentialsLookup {
  const subject = operationSubject('grants', 'ResolveSessionCredentials');
  return async (accessKeyId) => {
    const request: ResolveSessionCredentialsRequest = { requestId: randomUUID(), input: { AccessKeyId: accessKeyId } };
    let reply;
    try {
      reply = await client.call(subject, request);
    } catch (error) {
      // Without the grants service there are no temporary credentials.
      if (error instanceof NoRespondersError) return null;
      if (error instanceof OperationTimeoutError) {
        throw new GatewayError(
          'ServiceUnavailableException',
          503,
          'The temporary credentials could not be checked in time.',
        );
      }
      throw error;
    }
    if (!reply.ok)
      throw new GatewayError('ServiceUnavailableException', 503, 'The temporary credentials could not be checked.');
    return (reply.output as ResolveSessionCredentialsResponse).Credentials ?? null;
  };
}
