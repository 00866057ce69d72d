import type { Projection, RecordedEvent } from '@lm/event-store';
import type { Kysely, Transaction } from 'kysely';
import type { LicenseConfigurationEvent } from '../domain/license-configuration/events';
import { LICENSING_SCHEMA, type LicensingDatabase } from '../infra/database/schema';
import { licenseConfigurationIdOfStream } from '../domain/license-configuration/decide';

/** The association rows behind ListAssociations, ListUsage and ListLicenseSpecificationsForResource. */
export const licenseConfigurationAssociationsProjection: Projection<any> = {
  name: 'license-configuration-associations',
  eventTypes: ['ResourceAssociated', 'ResourceDisassociated'],
  async handle(events: RecordedEvent[], trx: Transaction<any>) {
    const db = (trx as Transaction<LicensingDatabase>).withSchema(LICENSING_SCHEMA);
    for (const recorded of events) {
      const configurationId = licenseConfigurationIdOfStream(recorded.streamName);
      const event = recorded as unknown as LicenseConfigurationEvent;
      if (event.type === 'ResourceAssociated') {
        const a = event.data;
        const row = {
          resource_type: a.resourceType,
          resource_owner_id: a.resourceOwnerId,
          associated_at: a.associatedAt,
          ami_association_scope: a.amiAssociationScope ?? null,
          consumed_licenses: a.consumedLicenses,
        };
        await db
          .insertInto('license_configuration_associations')
          .values({ configuration_id: configurationId, resource_arn: a.resourceArn, ...row })
          .onConflict((oc) => oc.columns(['configuration_id', 'resource_arn']).doUpdateSet(row))
          .execute();
      } else if (event.type === 'ResourceDisassociated') {
        await db
          .deleteFrom('license_configuration_associations')
          .where('configuration_id', '=', configurationId)
          .where('resource_arn', '=', event.data.resourceArn)
          .execute();
      }
    }
  },
  async truncate(db: Kysely<any>) {
    await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configuration_associations').execute();
  },
};
