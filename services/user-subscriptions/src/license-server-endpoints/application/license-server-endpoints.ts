import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { LicenseServerEndpoint } from '../domain/license-server-endpoint';
import type { LicenseServerEndpointViews } from './license-server-endpoint.views';

/** The endpoints of an account as the slice's commands and the deregistration blocker find them. */
@Injectable()
export class LicenseServerEndpoints {
  private readonly db: Kysely<LicenseServerEndpointViews>;

  constructor(@Inject(DATABASE) db: Kysely<LicenseServerEndpointViews>) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async byArn(accountId: string, arn: string): Promise<LicenseServerEndpoint | undefined> {
    const row = await this.db
      .selectFrom('license_server_endpoints')
      .select('state')
      .where('arn', '=', arn)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row?.state;
  }

  /** The registration's endpoints that are not deleted (at most one). */
  async liveOf(accountId: string, identityProviderArn: string): Promise<LicenseServerEndpoint[]> {
    const rows = await this.db
      .selectFrom('license_server_endpoints')
      .select('state')
      .where('account_id', '=', accountId)
      .where('identity_provider_arn', '=', identityProviderArn)
      .where('status', '!=', 'DELETED')
      .execute();
    return rows.map((row) => row.state);
  }
}
