import { defineProjection } from '@lm/event-store';
import type { ServiceSettingsEvent } from '../domain/service-settings';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { ServiceSettingsViews } from './service-settings.views';

/** The service_settings view: which accounts run cross-account discovery, over which accounts. */
export const serviceSettingsProjection = defineProjection<ServiceSettingsEvent, ServiceSettingsViews>()({
  name: 'service-settings',
  eventTypes: ['ServiceSettingsUpdated'],
  async handle(events, trx) {
    const db = trx.withSchema(LICENSING_SCHEMA);
    for (const { data } of events) {
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
  async truncate(db) {
    await db.withSchema(LICENSING_SCHEMA).deleteFrom('service_settings').execute();
  },
});
