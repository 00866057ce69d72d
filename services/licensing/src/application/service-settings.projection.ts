import type { Projection, RecordedEvent } from '@lm/event-store';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceSettingsEvent } from '../domain/service-settings/service-settings';
import { LICENSING_SCHEMA, type LicensingDatabase } from '../infra/database/schema';

/** The service_settings view: which accounts run cross-account discovery, over which accounts. */
export const serviceSettingsProjection: Projection<any> = {
  name: 'service-settings',
  eventTypes: ['ServiceSettingsUpdated'],
  async handle(events: RecordedEvent[], trx: Transaction<any>) {
    const db = (trx as Transaction<LicensingDatabase>).withSchema(LICENSING_SCHEMA);
    for (const recorded of events) {
      const { data } = recorded as unknown as ServiceSettingsEvent;
      const row = {
        cross_account_discovery: data.enableCrossAccountsDiscovery,
        member_account_ids: JSON.stringify(data.organizationMemberAccountIds ?? []),
      };
      await db
        .insertInto('service_settings')
        .values({ account_id: data.accountId, region: data.region, ...row })
        .onConflict((oc) => oc.columns(['account_id', 'region']).doUpdateSet(row))
        .execute();
    }
  },
  async truncate(db: Kysely<any>) {
    await db.withSchema(LICENSING_SCHEMA).deleteFrom('service_settings').execute();
  },
};
