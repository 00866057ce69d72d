import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@lm/contracts';
import type { Kysely } from 'kysely';
import { DATABASE, REGION } from '@lm/service-kit';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { OrganizationIntegrationViews } from './organization-integration.views';

/** Which organizations their management accounts linked, as the organization integration consumer recorded. */
@Injectable()
export class OrganizationIntegrations {
  private readonly db: Kysely<OrganizationIntegrationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<OrganizationIntegrationViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /**
   * The guide: grants from the management account of your organization are accepted
   * automatically once it has linked the organization (its settings in the service's Region).
   */
  async autoAccepts(grantor: Caller, granteeAccountId: string): Promise<boolean> {
    const organization = grantor.organization;
    if (
      organization?.managementAccountId !== grantor.accountId ||
      !organization.memberAccountIds?.includes(granteeAccountId)
    )
      return false;
    const link = await this.db
      .selectFrom('organization_integrations')
      .select(['organization_id', 'organization_integration'])
      .where('account_id', '=', grantor.accountId)
      .where('region', '=', this.region)
      .executeTakeFirst();
    return (
      link?.organization_integration === true &&
      (link.organization_id === null || link.organization_id === organization.id)
    );
  }
}
