import { defineProjection } from '@lm/event-store';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { ALREADY_APPLIED, stateBefore } from '../../shared/state-rows';
import { LICENSE_SERVER_ENDPOINT_EVENT_TYPES, type LicenseServerEndpointEvent } from '../domain/events';
import { evolveLicenseServerEndpoint, type LicenseServerEndpoint } from '../domain/license-server-endpoint';
import type { LicenseServerEndpointViews } from './license-server-endpoint.views';

const columnsOf = (endpoint: LicenseServerEndpoint, streamVersion: number) => ({
  status: endpoint.status,
  stream_version: streamVersion,
  state: JSON.stringify(endpoint),
});

/**
 * license_server_endpoints, folded with the decider's own evolve; the stream version guard makes
 * replays harmless.
 */
export const licenseServerEndpointsProjection = defineProjection<
  LicenseServerEndpointEvent,
  LicenseServerEndpointViews
>()({
  name: 'license-server-endpoints',
  eventTypes: LICENSE_SERVER_ENDPOINT_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const { arn } = event.data;
      if (event.type === 'LicenseServerEndpointRequested') {
        const { endpoint } = evolveLicenseServerEndpoint({}, event);
        if (!endpoint) continue;
        await db
          .insertInto('license_server_endpoints')
          .values({
            arn,
            account_id: endpoint.accountId,
            region: endpoint.region,
            identity_provider_arn: endpoint.identityProviderArn,
            created_at: endpoint.createdAt,
            ...columnsOf(endpoint, event.streamVersion),
          })
          .onConflict((oc) => oc.column('arn').doNothing())
          .execute();
        continue;
      }
      const before = await stateBefore<LicenseServerEndpoint>(db, 'license_server_endpoints', event);
      if (!before || before === ALREADY_APPLIED) continue;
      const { endpoint } = evolveLicenseServerEndpoint({ endpoint: before }, event);
      if (!endpoint) continue;
      await db
        .updateTable('license_server_endpoints')
        .set(columnsOf(endpoint, event.streamVersion))
        .where('arn', '=', arn)
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('license_server_endpoints').execute();
  },
});
