import type { ColumnType } from 'kysely';
import type { RefreshToken } from '../domain/refresh-token/refresh-tokens';

/** Refresh tokens as their events made them: the hash of each token's text, never the text. */
export interface RefreshTokensTable {
  token_id: string;
  account_id: string;
  license_arn: string;
  status: string;
  created_at: ColumnType<Date, string, string>;
  expires_at: ColumnType<Date, string, string>;
  token_sha256: string;
  document: ColumnType<RefreshToken, string, string>;
}

/** Temporary credentials, their secret and session token sealed with the master key. */
export interface TemporaryCredentialsTable {
  access_key_id: string;
  account_id: string;
  license_arn: string;
  role_arn: string;
  role_session_name: string;
  token_id: string;
  expires_at: ColumnType<Date, string, string>;
  sealed_secret_access_key: string;
  sealed_session_token: string;
}

/** The tokens slice's views, as Kysely sees them. */
export interface TokenViews {
  refresh_tokens: RefreshTokensTable;
  temporary_credentials: TemporaryCredentialsTable;
}
