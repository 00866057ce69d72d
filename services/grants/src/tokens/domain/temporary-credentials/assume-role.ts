import { AwsError } from '@lm/contracts';
import type { RefreshToken } from '../refresh-token/refresh-tokens';
import { roleAccountId } from '../refresh-token/token-request';
import type { AccessTokenClaims } from '../refresh-token/token-claims';
import type { TemporaryCredentialsEvent } from './events';

/** The guide: the consumption role's maximum session is 3600 seconds; it is also the default. */
export const MAX_SESSION_SECONDS = 3600;
/** STS's own minimum session. */
export const MIN_SESSION_SECONDS = 900;

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** STS's error codes (the model's awsQueryError codes), which the gateway answers in STS's XML. */
export const stsError = {
  invalidToken: (message: string) => new AwsError('InvalidIdentityToken', message),
  expiredToken: () =>
    new AwsError('ExpiredTokenException', 'The web identity token has expired; get a new access token.'),
  accessDenied: (message: string) => new AwsError('AccessDenied', message),
  validation: (message: string) => new AwsError('ValidationError', message),
};

export interface AssumeRoleWithWebIdentityCommand {
  accessKeyId: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  /** A session policy was given (Policy or PolicyArns). */
  sessionPolicy: boolean;
  /** The verified access token. */
  accessToken: AccessTokenClaims;
  /** Its refresh token as recorded (undefined: never recorded). */
  refreshToken: RefreshToken | undefined;
  now: Date;
}

/**
 * Whether the access token's bearer may have credentials of the role, and for how long: the
 * token must come from a refresh token that still stands, and the role must be one of the
 * issuing account's (one of the token's RoleArns when it names any).
 */
export function decideAssumeRoleWithWebIdentity(command: AssumeRoleWithWebIdentityCommand): TemporaryCredentialsEvent {
  const { accessToken, refreshToken, roleArn, now } = command;
  if (
    !refreshToken ||
    refreshToken.tokenId !== accessToken.tid ||
    refreshToken.accountId !== accessToken.sub ||
    refreshToken.status !== 'AVAILABLE'
  ) {
    throw stsError.invalidToken('The web identity token is not valid, or its refresh token was deleted.');
  }
  if (!SESSION_NAME.test(command.roleSessionName)) {
    throw stsError.validation('RoleSessionName must be 2 to 64 characters of letters, digits and +=,.@_-.');
  }
  const duration = command.durationSeconds ?? MAX_SESSION_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_SESSION_SECONDS || duration > MAX_SESSION_SECONDS) {
    throw stsError.validation(
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role: it must be from ${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS}.`,
    );
  }
  // Session policies could only narrow what the credentials allow, which is one licence already.
  if (command.sessionPolicy) throw stsError.validation('Session policies (Policy, PolicyArns) are not supported here.');
  if (roleAccountId(roleArn) !== accessToken.sub) {
    throw stsError.accessDenied(
      `Not authorized to perform sts:AssumeRoleWithWebIdentity: ${roleArn} is not a role of the token's issuing account.`,
    );
  }
  if (refreshToken.roleArns.length > 0 && !refreshToken.roleArns.includes(roleArn)) {
    throw stsError.accessDenied(
      `Not authorized to perform sts:AssumeRoleWithWebIdentity: the token does not allow ${roleArn}.`,
    );
  }
  return {
    type: 'TemporaryCredentialsIssued',
    data: {
      accessKeyId: command.accessKeyId,
      accountId: accessToken.sub,
      licenseArn: accessToken.aud,
      roleArn,
      roleSessionName: command.roleSessionName,
      tokenId: refreshToken.tokenId,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + duration * 1000).toISOString(),
    },
  };
}
