import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { DiscoverySettingsViews } from './discovery-settings.views';

/** Which organizations their management accounts linked, as the organization links consumer recorded. */
@Injectable()
export class OrganizationLinks {
  private readonly db: Kysely<DiscoverySettingsViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<DiscoverySettingsViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  /** The account linked this organization in License Manager's settings (its settings in the service's Region). */
  async linked(accountId: string, organizationId: string): Promise<boolean> {
    const link = await this.db
      .selectFrom('organization_links')
      .select(['organization_id', 'organization_integration'])
      .where('account_id', '=', accountId)
      .where('region', '=', this.region)
      .executeTakeFirst();
    return (
      link?.organization_integration === true &&
      (link.organization_id === null || link.organization_id === organizationId)
    );
  }
}
