import { defineProjection } from '@lm/event-store';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { ALREADY_APPLIED, stateBefore } from '../../shared/state-rows';
import { IDENTITY_PROVIDER_EVENT_TYPES, type IdentityProviderEvent } from '../domain/events';
import { evolveIdentityProvider, type IdentityProviderRegistration } from '../domain/identity-provider';
import type { IdentityProviderViews } from './identity-provider.views';

const columnsOf = (registration: IdentityProviderRegistration, streamVersion: number) => ({
  status: registration.status,
  subnets: JSON.stringify(registration.settings?.subnets ?? []),
  stream_version: streamVersion,
  state: JSON.stringify(registration),
});

/**
 * identity_providers keeps each directory's latest registration per product, folded with the
 * decider's own evolve; a new registration of the same directory and product replaces a FAILED
 * one's row, a deregistered one's row goes. The stream version guard makes replays harmless.
 */
export const identityProvidersProjection = defineProjection<IdentityProviderEvent, IdentityProviderViews>()({
  name: 'identity-providers',
  eventTypes: IDENTITY_PROVIDER_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const { arn, accountId, directoryId, product } = event.data;
      if (event.type === 'IdentityProviderRegistrationStarted') {
        const { registration } = evolveIdentityProvider({}, event);
        if (!registration) continue;
        await db
          .deleteFrom('identity_providers')
          .where('account_id', '=', accountId)
          .where('directory_id', '=', directoryId)
          .where('product', '=', product)
          .where('stream_version', '<', event.streamVersion)
          .execute();
        await db
          .insertInto('identity_providers')
          .values({
            arn,
            account_id: accountId,
            region: registration.region,
            directory_id: directoryId,
            product,
            domain_name: registration.directory.domainName,
            created_at: registration.createdAt,
            ...columnsOf(registration, event.streamVersion),
          })
          .onConflict((oc) => oc.column('arn').doNothing())
          .execute();
        continue;
      }
      if (event.type === 'IdentityProviderDeregistered') {
        await db.deleteFrom('identity_providers').where('arn', '=', arn).execute();
        continue;
      }
      const before = await stateBefore<IdentityProviderRegistration>(db, 'identity_providers', event);
      if (!before || before === ALREADY_APPLIED) continue;
      const { registration } = evolveIdentityProvider({ registration: before }, event);
      if (!registration) continue;
      await db
        .updateTable('identity_providers')
        .set(columnsOf(registration, event.streamVersion))
        .where('arn', '=', arn)
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('identity_providers').execute();
  },
});
