import { defineProjection, precompiled } from '@lm/event-store';
import type { Insertable, Kysely } from 'kysely';
import type { LicenseConfigurationEvent } from '../domain/events';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from './license-configuration.views';
import { licenseConfigurationIdOfStream } from '../domain/decide';

/** A resource's association row, as its latest ResourceAssociated has it (an affinity hold ends). */
const upsertAssociation = precompiled(
  (
    db: Kysely<LicenseConfigurationViews>,
    association: Omit<
      Insertable<LicenseConfigurationViews['license_configuration_associations']>,
      'affinity_hold_until'
    >,
  ) => {
    const { configuration_id: _configuration, resource_arn: _resource, ...row } = association;
    const updated = { ...row, affinity_hold_until: null };
    return db
      .withSchema(LICENSING_SCHEMA)
      .insertInto('license_configuration_associations')
      .values({ ...association, affinity_hold_until: null })
      .onConflict((oc) => oc.columns(['configuration_id', 'resource_arn']).doUpdateSet(updated));
  },
);

/**
 * The association rows behind ListAssociations, ListUsage and ListLicenseSpecificationsForResource
 * (with the affinity holds the sweeper ends), and the failure rows behind ListFailures.
 */
export const licenseConfigurationAssociationsProjection = defineProjection<
  LicenseConfigurationEvent,
  LicenseConfigurationViews
>()({
  name: 'license-configuration-associations',
  eventTypes: [
    'ResourceAssociated',
    'ResourceDisassociated',
    'AssociationConsumptionChanged',
    'AffinityHoldStarted',
    'LicenseOperationFailed',
  ],
  async handle(events, trx, pipeline) {
    const db = trx.withSchema(LICENSING_SCHEMA);
    for (const event of events) {
      const configurationId = licenseConfigurationIdOfStream(event.streamName);
      if (event.type === 'ResourceAssociated') {
        const a = event.data;
        pipeline.send(
          upsertAssociation.bind(trx, {
            configuration_id: configurationId,
            resource_arn: a.resourceArn,
            resource_type: a.resourceType,
            resource_owner_id: a.resourceOwnerId,
            associated_at: a.associatedAt,
            ami_association_scope: a.amiAssociationScope ?? null,
            consumed_licenses: a.consumedLicenses,
            consumption_key: a.consumptionKey,
          }),
        );
      } else if (event.type === 'AssociationConsumptionChanged') {
        pipeline.send(
          db
            .updateTable('license_configuration_associations')
            .set({ consumed_licenses: event.data.consumedLicenses, affinity_hold_until: null })
            .where('configuration_id', '=', configurationId)
            .where('resource_arn', '=', event.data.resourceArn),
        );
      } else if (event.type === 'AffinityHoldStarted') {
        pipeline.send(
          db
            .updateTable('license_configuration_associations')
            .set({ affinity_hold_until: event.data.until })
            .where('configuration_id', '=', configurationId)
            .where('resource_arn', '=', event.data.resourceArn),
        );
      } else if (event.type === 'LicenseOperationFailed') {
        const f = event.data;
        pipeline.send(
          db
            .insertInto('license_operation_failures')
            .values({
              configuration_id: configurationId,
              stream_version: event.streamVersion,
              operation_name: f.operationName,
              resource_arn: f.resourceArn,
              resource_type: f.resourceType,
              resource_owner_id: f.resourceOwnerId,
              error_message: f.errorMessage,
              requested_by: f.requestedBy,
              failed_at: f.failedAt,
            })
            .onConflict((oc) => oc.doNothing()),
        );
      } else if (event.type === 'ResourceDisassociated') {
        pipeline.send(
          db
            .deleteFrom('license_configuration_associations')
            .where('configuration_id', '=', configurationId)
            .where('resource_arn', '=', event.data.resourceArn),
        );
      }
    }
  },
  async truncate(db) {
    await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configuration_associations').execute();
    await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_operation_failures').execute();
  },
});
