import {
  createEventStore,
  eventStoreKindFromEnv,
  migrateEventStoreSchema,
  type EventStore,
  type Projection,
} from '@lm/event-store';
import type { Kysely } from 'kysely';
import { createDatabase, databaseUrlFor } from './database';

export interface ServiceStore {
  db: Kysely<any>;
  store: EventStore;
}

/**
 * @deprecated grants uses it until it moves onto defineService; then it goes.
 * What every service opens at start: its database (`<SERVICE>_DATABASE_URL` or DATABASE_URL), its
 * schema migrated (event store tables and its own views), and its event store (EVENT_STORE) with
 * the projections that keep the views.
 */
export async function openServiceStore(options: {
  service: string;
  schema: string;
  migrateViews: (db: Kysely<any>) => Promise<void>;
  projections: Projection[];
  env?: NodeJS.ProcessEnv;
}): Promise<ServiceStore> {
  const env = options.env ?? process.env;
  const db = createDatabase<any>(databaseUrlFor(options.service, env));
  await migrateEventStoreSchema(db, options.schema);
  await options.migrateViews(db);
  const { kind, eventStoreUrl } = eventStoreKindFromEnv(env);
  const store = await createEventStore({
    kind,
    eventStoreUrl,
    db,
    schema: options.schema,
    projections: options.projections,
  });
  return { db, store };
}
