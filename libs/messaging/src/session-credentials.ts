import type { AnonymousOperationRequest } from '@lm/contracts';

/**
 * The gateway's question to grants (subject operationSubject('grants', 'ResolveSessionCredentials'))
 * when a SigV4 access key id is not a long-term key: which temporary credentials is it?
 */
export type ResolveSessionCredentialsRequest = AnonymousOperationRequest<{ AccessKeyId: string }>;

/** Temporary credentials that AssumeRoleWithWebIdentity handed out, as the gateway needs them to verify a signature. */
export interface SessionCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO 8601; the gateway refuses the credentials from then on. */
  Expiration: string;
  AccountId: string;
  /** The one licence these credentials may consume. */
  LicenseArn: string;
  RoleArn: string;
  RoleSessionName: string;
}

/** Null when no unexpired temporary credentials have that access key id. */
export interface ResolveSessionCredentialsResponse {
  Credentials: SessionCredentials | null;
}
