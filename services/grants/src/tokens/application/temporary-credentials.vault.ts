import { Inject, Injectable } from '@nestjs/common';
import type { ResolveSessionCredentialsResponse } from '@lm/messaging';
import { CLOCK, type Clock, DATABASE, MasterKey } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { isTemporaryAccessKeyId } from '../domain/temporary-credentials/credentials';
import type { TemporaryCredentialsIssuedData } from '../domain/temporary-credentials/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { TokenViews } from './tokens.views';

const SECRET_PURPOSE = 'temporary-credentials:secret-access-key';
const SESSION_TOKEN_PURPOSE = 'temporary-credentials:session-token';

/** The secret halves of temporary credentials: what events never carry. */
export interface CredentialSecrets {
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * Where temporary credentials are kept, secret and session token sealed with the master key:
 * the gateway must get both back to verify a signature and its X-Amz-Security-Token.
 */
@Injectable()
export class TemporaryCredentialsVault {
  private readonly db: Kysely<TokenViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<TokenViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly masterKey: MasterKey,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** Keeps new credentials, and drops those that have expired (nothing can use them any more). */
  async keep(credentials: TemporaryCredentialsIssuedData, secrets: CredentialSecrets): Promise<void> {
    await this.db.deleteFrom('temporary_credentials').where('expires_at', '<=', this.clock.now()).execute();
    await this.db
      .insertInto('temporary_credentials')
      .values({
        access_key_id: credentials.accessKeyId,
        account_id: credentials.accountId,
        license_arn: credentials.licenseArn,
        role_arn: credentials.roleArn,
        role_session_name: credentials.roleSessionName,
        token_id: credentials.tokenId,
        expires_at: credentials.expiresAt,
        sealed_secret_access_key: this.masterKey.seal(SECRET_PURPOSE, Buffer.from(secrets.secretAccessKey, 'utf8')),
        sealed_session_token: this.masterKey.seal(SESSION_TOKEN_PURPOSE, Buffer.from(secrets.sessionToken, 'utf8')),
      })
      .execute();
  }

  /** For credentials whose issue could not be recorded: they must not work. */
  async forget(accessKeyId: string): Promise<void> {
    await this.db.deleteFrom('temporary_credentials').where('access_key_id', '=', accessKeyId).execute();
  }

  /**
   * The credentials, while they have not expired and the refresh token they came from stands. A key
   * of another form was never issued here and is not looked up: the gateway asks about whatever a
   * request claims (one holding U+0000 would fail the query, and the request answer 503).
   */
  async resolve(accessKeyId: string): Promise<ResolveSessionCredentialsResponse> {
    if (!isTemporaryAccessKeyId(accessKeyId)) return { Credentials: null };
    const row = await this.db
      .selectFrom('temporary_credentials as c')
      .innerJoin('refresh_tokens as t', 't.token_id', 'c.token_id')
      .selectAll('c')
      .where('c.access_key_id', '=', accessKeyId)
      .where('c.expires_at', '>', this.clock.now())
      .where('t.status', '=', 'AVAILABLE')
      .executeTakeFirst();
    if (!row) return { Credentials: null };
    return {
      Credentials: {
        AccessKeyId: row.access_key_id,
        SecretAccessKey: this.masterKey.open(SECRET_PURPOSE, row.sealed_secret_access_key).toString('utf8'),
        SessionToken: this.masterKey.open(SESSION_TOKEN_PURPOSE, row.sealed_session_token).toString('utf8'),
        Expiration: row.expires_at.toISOString(),
        AccountId: row.account_id,
        LicenseArn: row.license_arn,
        RoleArn: row.role_arn,
        RoleSessionName: row.role_session_name,
      },
    };
  }
}
