import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { AggregateStates, handleMultiStreamCommand, stream, type EventStore } from '@lm/event-store';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { AwsError, validation } from '@lm/contracts';
import { redirectToHomeRegion } from '../../licenses/domain/errors';
import type { RefreshTokenCommand } from '../domain/refresh-token/commands';
import { accountTokensStream, decideAccountTokens, recentTokenFor } from '../domain/refresh-token/decide';
import { atWholeSecond, signJwt } from '../domain/refresh-token/jwt';
import type { RefreshTokenEvent } from '../domain/refresh-token/events';
import {
  evolveAccountTokens,
  initialAccountTokens,
  newTokenId,
  type AccountTokens,
  type RefreshToken,
} from '../domain/refresh-token/refresh-tokens';
import { refreshTokenClaims } from '../domain/refresh-token/token-claims';
import {
  assertOwnRoles,
  assertTokenProperties,
  expirationInDays,
  MAX_TOKEN_LENGTH,
} from '../domain/refresh-token/token-request';
import { LicenseAccess, type AccessibleLicense } from '../../grants/application/license-access';
import { assertNotRestricted } from './refresh-token-callers';
import { RefreshTokenKeys, tokenSha256 } from './refresh-token-keys';

/** The most live (unexpired, undeleted) refresh tokens an account may hold for one licence (LM_QUOTA_TOKENS_PER_LICENSE). */
export const TOKENS_PER_LICENSE = Symbol('TokensPerLicense');

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class RefreshTokenCommands {
  /**
   * Accounts' tokens kept folded between commands: an account that has created thousands of
   * tokens is brought up to date with its newest events instead of being read from its first.
   */
  private readonly accounts = new AggregateStates<AccountTokens, RefreshTokenEvent>(
    evolveAccountTokens,
    initialAccountTokens,
  );

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TOKENS_PER_LICENSE) private readonly tokensPerLicense: number,
    private readonly access: LicenseAccess,
    private readonly keys: RefreshTokenKeys,
  ) {}

  /**
   * A refresh token for the licence, shown this once: only its hash is kept. A retry with the
   * same ClientToken within 10 minutes answers the same TokenId and Token (a JWT is the same text
   * when signed again from the same claims), so a client that lost the first answer still gets it.
   */
  async create(caller: Caller, input: LicenseManager.CreateTokenRequest): Promise<LicenseManager.CreateTokenResponse> {
    assertNotRestricted(caller);
    const { license } = await this.licenseForTokens(caller, input.LicenseArn);
    // The guide: token calls are made in the licence's home Region.
    if (license.HomeRegion && license.HomeRegion !== caller.region) throw redirectToHomeRegion(license.HomeRegion);
    const days = expirationInDays(input.ExpirationInDays);
    const roleArns = input.RoleArns ?? [];
    assertOwnRoles(roleArns, caller.accountId);
    const tokenProperties = input.TokenProperties ?? [];
    assertTokenProperties(tokenProperties);
    const now = atWholeSecond(this.clock.now());
    const draft = {
      tokenId: newTokenId(),
      accountId: caller.accountId,
      licenseArn: license.LicenseArn,
      roleArns,
      tokenProperties,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + days * DAY_MS).toISOString(),
      clientToken: input.ClientToken,
    };
    const text = this.sign(draft);
    if (text.length > MAX_TOKEN_LENGTH)
      throw validation(`The token would be longer than ${MAX_TOKEN_LENGTH} characters; use shorter TokenProperties.`);
    const state = await this.decide(caller.accountId, {
      type: 'CreateToken',
      token: { ...draft, tokenSha256: tokenSha256(text) },
      limitPerLicense: this.tokensPerLicense,
      now,
    });
    const created = recentTokenFor(state, input.ClientToken, now)!;
    return {
      TokenId: created.tokenId,
      TokenType: 'REFRESH_TOKEN',
      Token: created.tokenId === draft.tokenId ? text : this.signedAgain(created),
    };
  }

  /** Deleting a deleted token changes nothing; another account's token is not found. */
  async delete(caller: Caller, tokenId: string): Promise<void> {
    assertNotRestricted(caller);
    await this.decide(caller.accountId, {
      type: 'DeleteToken',
      tokenId,
      accountId: caller.accountId,
      now: this.clock.now(),
    });
  }

  /** Decides on the account's tokens and appends at the version decided on; the state after. */
  private async decide(accountId: string, command: RefreshTokenCommand): Promise<AccountTokens> {
    let after = initialAccountTokens();
    await handleMultiStreamCommand(this.store, {
      streams: { account: stream(accountTokensStream(accountId), this.accounts) },
      decide: ({ account }) => {
        const events = decideAccountTokens(command, account);
        after = this.accounts.applyPending(account, events);
        return { account: events };
      },
    });
    return after;
  }

  private sign(token: Parameters<typeof refreshTokenClaims>[0]): string {
    return signJwt(refreshTokenClaims(token), this.keys.refreshToken);
  }

  /** The token a retried request created the first time, which only its hash recorded. */
  private signedAgain(token: RefreshToken): string {
    const text = this.sign(token);
    // Only a master key changed within the ClientToken window could make them differ.
    if (tokenSha256(text) !== token.tokenSha256)
      throw new Error(`Token ${token.tokenId} cannot be issued again: the master key changed`);
    return text;
  }

  /**
   * The licence, when the caller is its issuer or holds an ACTIVE grant allowing CreateToken.
   * A licence the caller cannot see is not found; one it sees but may not make tokens for is denied.
   */
  private async licenseForTokens(caller: Caller, licenseArn: string): Promise<AccessibleLicense> {
    const [usable] = await this.access.usableLicenses(caller, 'CreateToken', { licenseArn });
    if (usable) return usable;
    await this.access.readableLicense(caller, licenseArn);
    throw new AwsError(
      'AccessDeniedException',
      `Tokens for ${licenseArn} can be created by its issuer or through an ACTIVE grant that allows CreateToken, while the license is AVAILABLE.`,
    );
  }
}
