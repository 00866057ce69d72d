import type { CataloguedEvents } from '@lm/contracts';

/** Temporary credentials as the events tell of them: who, for what and until when, never the secret or the session token. */
export interface TemporaryCredentialsIssuedData {
  accessKeyId: string;
  /** The token's issuing account, whose role was assumed. */
  accountId: string;
  licenseArn: string;
  roleArn: string;
  roleSessionName: string;
  /** The refresh token the access token came from: deleting it ends the credentials. */
  tokenId: string;
  issuedAt: string;
  expiresAt: string;
}

export type TemporaryCredentialsEvent = { type: 'TemporaryCredentialsIssued'; data: TemporaryCredentialsIssuedData };

/** One stream per set of credentials, named by its access key id. */
export const temporaryCredentialsStream = (accessKeyId: string) => `temporary-credentials-${accessKeyId}`;

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', TemporaryCredentialsEvent>;
