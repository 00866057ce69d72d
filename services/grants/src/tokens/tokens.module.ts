import { Module } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module';
import { RefreshTokenCommands, TOKENS_PER_LICENSE } from './application/refresh-token.commands';
import { RefreshTokenExchange } from './application/refresh-token-exchange';
import { RefreshTokenKeys } from './application/refresh-token-keys';
import { RefreshTokenQueries } from './application/refresh-token.queries';
import { TemporaryCredentialsCommands } from './application/temporary-credentials.commands';
import { TemporaryCredentialsVault } from './application/temporary-credentials.vault';
import { StsController } from './infra/sts.controller';
import { TokensController } from './infra/tokens.controller';
import { tokensPerLicenseQuota } from '../infra/grants-infrastructure';

/**
 * Tokens for customers without an account: refresh tokens (CreateToken, ListTokens, DeleteToken),
 * access tokens (GetAccessToken), and STS temporary credentials limited to consuming one licence.
 */
@Module({
  imports: [GrantsModule],
  controllers: [TokensController, StsController],
  providers: [
    { provide: TOKENS_PER_LICENSE, useFactory: () => tokensPerLicenseQuota() },
    RefreshTokenKeys,
    RefreshTokenQueries,
    RefreshTokenCommands,
    RefreshTokenExchange,
    TemporaryCredentialsVault,
    TemporaryCredentialsCommands,
  ],
})
export class TokensModule {}
