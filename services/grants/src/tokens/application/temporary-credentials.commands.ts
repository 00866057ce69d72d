import { Inject, Injectable } from '@nestjs/common';
import type { Sts } from '@lm/api-model';
import type { EventStore } from '@lm/event-store';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { atWholeSecond, epochSeconds, JwtError, verifyJwt } from '../domain/refresh-token/jwt';
import { asAccessTokenClaims, type AccessTokenClaims } from '../domain/refresh-token/token-claims';
import { decideAssumeRoleWithWebIdentity, stsError } from '../domain/temporary-credentials/assume-role';
import {
  assumedRoleArn,
  assumedRoleId,
  newSecretAccessKey,
  newSessionToken,
  newTemporaryAccessKeyId,
} from '../domain/temporary-credentials/credentials';
import { temporaryCredentialsStream } from '../domain/temporary-credentials/events';
import { RefreshTokenKeys } from './refresh-token-keys';
import { RefreshTokenQueries } from './refresh-token.queries';
import { TemporaryCredentialsVault } from './temporary-credentials.vault';

/** Who vouches for the web identity: the federated principal of the guide's consumption role trust policy. */
export const WEB_IDENTITY_PROVIDER = 'openid-license-manager.amazonaws.com';

/** STS AssumeRoleWithWebIdentity for access tokens of this service: credentials that may consume one licence. */
@Injectable()
export class TemporaryCredentialsCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: RefreshTokenKeys,
    private readonly tokens: RefreshTokenQueries,
    private readonly vault: TemporaryCredentialsVault,
  ) {}

  async assumeRoleWithWebIdentity(
    input: Sts.AssumeRoleWithWebIdentityRequest,
  ): Promise<Sts.AssumeRoleWithWebIdentityResponse> {
    const now = atWholeSecond(this.clock.now());
    const accessToken = this.verifiedAccessToken(input.WebIdentityToken, now);
    const issued = decideAssumeRoleWithWebIdentity({
      accessKeyId: newTemporaryAccessKeyId(),
      roleArn: input.RoleArn,
      roleSessionName: input.RoleSessionName,
      durationSeconds: input.DurationSeconds,
      sessionPolicy: input.Policy !== undefined || (input.PolicyArns?.length ?? 0) > 0,
      accessToken,
      refreshToken: await this.tokens.find(accessToken.tid),
      now,
    });
    const credentials = issued.data;
    const secrets = { secretAccessKey: newSecretAccessKey(), sessionToken: newSessionToken() };
    await this.vault.keep(credentials, secrets);
    try {
      await this.store.append(temporaryCredentialsStream(credentials.accessKeyId), [issued], { expectedVersion: 0 });
    } catch (error) {
      await this.vault.forget(credentials.accessKeyId);
      throw error;
    }
    return {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: secrets.secretAccessKey,
        SessionToken: secrets.sessionToken,
        Expiration: epochSeconds(new Date(credentials.expiresAt)),
      },
      SubjectFromWebIdentityToken: accessToken.sub,
      AssumedRoleUser: {
        AssumedRoleId: assumedRoleId(credentials.roleArn, credentials.roleSessionName),
        Arn: assumedRoleArn(credentials.accountId, credentials.roleArn, credentials.roleSessionName),
      },
      Provider: WEB_IDENTITY_PROVIDER,
      Audience: accessToken.aud,
    };
  }

  private verifiedAccessToken(token: string, now: Date): AccessTokenClaims {
    try {
      return asAccessTokenClaims(verifyJwt(token, this.keys.accessToken, now));
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      if (error.reason === 'expired') throw stsError.expiredToken();
      throw stsError.invalidToken('The web identity token is not an access token of this service.');
    }
  }
}
