import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller, DomainEventMessage, ServiceSettingsUpdatedData } from '@lm/contracts';
import type { Kysely, Transaction } from 'kysely';
import { GRANTS_SCHEMA, type GrantsDatabase } from '../shared/schema';
import { DATABASE, REGION } from '../shared/tokens';

const logger = new Logger('OrganizationIntegrations');

/**
 * The durable consumer's handler of licensing's ServiceSettingsUpdated: keeps whether each
 * account linked its organization, in the transaction that records the event as processed. A
 * late redelivery of an older event does not overwrite a newer one.
 */
export function organizationIntegrationRecorder(deploymentRegion: string) {
  return async (event: DomainEventMessage, trx: Transaction<any>): Promise<void> => {
    const settings = event.data as Partial<ServiceSettingsUpdatedData>;
    if (typeof settings.accountId !== 'string') {
      logger.warn(`ServiceSettingsUpdated ${event.eventId} names no account; ignored`);
      return;
    }
    const link = {
      organization_id: settings.organizationId ?? null,
      organization_integration: settings.organizationIntegration === true,
      recorded_at: event.recordedAt,
    };
    await (trx as Transaction<GrantsDatabase>)
      .withSchema(GRANTS_SCHEMA)
      .insertInto('organization_integrations')
      .values({ account_id: settings.accountId, region: settings.region ?? deploymentRegion, ...link })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(link)
          .where('organization_integrations.recorded_at', '<=', new Date(event.recordedAt)),
      )
      .execute();
  };
}

@Injectable()
export class OrganizationIntegrations {
  private readonly db: Kysely<GrantsDatabase>;

  constructor(
    @Inject(DATABASE) db: Kysely<GrantsDatabase>,
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
