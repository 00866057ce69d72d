import { Module } from '@nestjs/common';
import { CONFIG, positiveInteger, type ConfigOf, MasterKeyModule } from '@lm/service-kit';
import { GrantsModule } from '../grants/grants.module';
import { RefreshTokenCommands, TOKENS_PER_LICENSE } from './application/refresh-token.commands';
import { RefreshTokenExchange } from './application/refresh-token-exchange';
import { RefreshTokenKeys } from './application/refresh-token-keys';
import { RefreshTokenQueries } from './application/refresh-token.queries';
import { TemporaryCredentialsCommands } from './application/temporary-credentials.commands';
import { TemporaryCredentialsVault } from './application/temporary-credentials.vault';
import { StsController } from './infra/sts.controller';
import { TokensController } from './infra/tokens.controller';

/** The tokens slice's settings, read with every other slice's when the service starts. */
export const tokensSettings = {
  /** LM_QUOTA_TOKENS_PER_LICENSE: the most live refresh tokens an account may hold for one licence. */
  tokensPerLicense: positiveInteger('LM_QUOTA_TOKENS_PER_LICENSE', 100),
};

/**
 * Tokens for customers without an account: refresh tokens (CreateToken, ListTokens, DeleteToken),
 * access tokens (GetAccessToken), and STS temporary credentials limited to consuming one licence.
 */
@Module({
  imports: [GrantsModule, MasterKeyModule],
  controllers: [TokensController, StsController],
  providers: [
    {
      provide: TOKENS_PER_LICENSE,
      useFactory: (config: ConfigOf<typeof tokensSettings>) => config.tokensPerLicense,
      inject: [CONFIG],
    },
    RefreshTokenKeys,
    RefreshTokenQueries,
    RefreshTokenCommands,
    RefreshTokenExchange,
    TemporaryCredentialsVault,
    TemporaryCredentialsCommands,
  ],
})
export class TokensModule {}
