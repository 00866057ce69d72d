import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { EventStore } from '@lm/event-store';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { invalidToken } from '../domain/refresh-token/errors';
import { validation } from '@lm/contracts';
import { accessTokensStream, type AccessTokenEvent } from '../domain/refresh-token/events';
import { JwtError, signJwt, verifyJwt } from '../domain/refresh-token/jwt';
import { accessTokenClaims, asRefreshTokenClaims, type RefreshTokenClaims } from '../domain/refresh-token/token-claims';
import { assertTokenProperties } from '../domain/refresh-token/token-request';
import { RefreshTokenKeys, tokenSha256 } from './refresh-token-keys';
import { RefreshTokenQueries } from './refresh-token.queries';

/**
 * GetAccessToken: a refresh token for a one-hour access token. The refresh token is the
 * credential here, so any authenticated caller may exchange one (AWS, too, wants the call
 * signed, but not by the token's creator: the customer has no account of the issuer's).
 */
@Injectable()
export class RefreshTokenExchange {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: RefreshTokenKeys,
    private readonly tokens: RefreshTokenQueries,
  ) {}

  async accessTokenFor(input: LicenseManager.GetAccessTokenRequest): Promise<LicenseManager.GetAccessTokenResponse> {
    const now = this.clock.now();
    const refresh = await this.standingRefreshToken(input.Token, now);
    const properties = input.TokenProperties ?? refresh.amr;
    assertTokenProperties(properties);
    const unknown = properties.filter((property) => !refresh.amr.includes(property));
    if (unknown.length > 0) throw validation(`TokenProperties ${unknown.join(', ')} are not properties of this token.`);
    const access = accessTokenClaims(refresh, properties, randomUUID(), now);
    const issued: AccessTokenEvent = {
      type: 'AccessTokenIssued',
      data: {
        tokenId: access.tid,
        accountId: access.sub,
        licenseArn: access.aud,
        accessTokenId: access.jti,
        tokenProperties: properties,
        issuedAt: new Date(access.iat * 1000).toISOString(),
        expiresAt: new Date(access.exp * 1000).toISOString(),
      },
    };
    await this.store.append(accessTokensStream(access.tid), [issued]);
    return { AccessToken: signJwt(access, this.keys.accessToken) };
  }

  /** The claims of a refresh token we signed, that has not expired, is still recorded as it was issued, and was not deleted. */
  private async standingRefreshToken(token: string, now: Date): Promise<RefreshTokenClaims> {
    let claims: RefreshTokenClaims;
    try {
      claims = asRefreshTokenClaims(verifyJwt(token, this.keys.refreshToken, now));
    } catch (error) {
      if (error instanceof JwtError) throw invalidToken();
      throw error;
    }
    const recorded = await this.tokens.find(claims.jti);
    if (
      !recorded ||
      recorded.status !== 'AVAILABLE' ||
      recorded.accountId !== claims.sub ||
      recorded.tokenSha256 !== tokenSha256(token)
    ) {
      throw invalidToken();
    }
    return claims;
  }
}
