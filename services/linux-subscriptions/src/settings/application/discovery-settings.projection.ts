import { defineProjection } from '@lm/event-store';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { coveredAccountIds, evolveDiscoverySettings, pendingRegions } from '../domain/discovery-settings';
import { DISCOVERY_SETTINGS_EVENT_TYPES, type DiscoverySettingsEvent } from '../domain/events';
import type { DiscoverySettingsViews } from './discovery-settings.views';

/**
 * discovery_settings, folded with the decider's own evolve in the append's transaction (an update
 * reads its own settings back at once); the stream version guard makes replays harmless.
 */
export const discoverySettingsProjection = defineProjection<DiscoverySettingsEvent, DiscoverySettingsViews>()({
  name: 'discovery-settings',
  eventTypes: DISCOVERY_SETTINGS_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const { accountId } = event.data;
      const row = await db
        .selectFrom('discovery_settings')
        .select(['state', 'stream_version'])
        .where('account_id', '=', accountId)
        .forUpdate()
        .executeTakeFirst();
      if (row && row.stream_version >= event.streamVersion) continue;
      const { settings } = evolveDiscoverySettings({ settings: row?.state }, event);
      if (!settings) continue;
      const columns = {
        discovery: settings.discovery,
        covered_account_ids: coveredAccountIds(settings),
        pending: pendingRegions(settings).length > 0,
        updated_at: settings.updatedAt,
        stream_version: event.streamVersion,
        state: JSON.stringify(settings),
      };
      await db
        .insertInto('discovery_settings')
        .values({ account_id: accountId, ...columns })
        .onConflict((oc) => oc.column('account_id').doUpdateSet(columns))
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA).deleteFrom('discovery_settings').execute();
  },
});
