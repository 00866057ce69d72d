import { createEventStore, EVENT_STORE_CAPABILITIES, type EventStore, type Guard } from '@lm/event-store';
import { Kysely, PostgresDialect } from 'kysely';
import type { ServiceConfig } from './config/service-config';
import { ConfigurationError } from './config/settings';
import { openDatabasePool } from './database-pool';
import { loadPageTokenKey } from './page-token-key';
import { usePageTokenKey } from './pagination';
import type { FromConfig, ServiceDefinition } from './service-definition';
import { migrateViews } from './view-migrations';

/** A service's database and event store, opened and migrated. */
export interface ServiceStorage {
  db: Kysely<any>;
  store: EventStore;
  /** Closes the event store, then the database pool. */
  close(): Promise<void>;
}

export const listFrom = <T, C>(from: FromConfig<T, C> | undefined, config: C): readonly T[] =>
  typeof from === 'function' ? from(config) : (from ?? []);

/**
 * Opens the service's database, applies its view migrations in its schema, loads the key its
 * NextTokens are sealed with, and opens its event store with its projections and guards. Refuses, before opening anything, an event store that
 * cannot run the service's guards inside the append's transaction.
 */
export async function openServiceStorage(
  definition: ServiceDefinition<any>,
  config: ServiceConfig<any>,
): Promise<ServiceStorage> {
  const { common, own } = config;
  const guards = assertGuardsCanRun(definition, config);
  const db = new Kysely<any>({
    dialect: new PostgresDialect({
      pool: openDatabasePool({ connectionString: common.databaseUrl, max: common.databasePoolSize }),
    }),
  });
  try {
    await migrateViews(db, definition.schema, definition.migrations);
    usePageTokenKey(await loadPageTokenKey(db, definition.schema));
    const store = await createEventStore({
      kind: common.eventStore.kind,
      eventStoreUrl: common.eventStore.url,
      db,
      schema: definition.schema,
      projections: [...listFrom(definition.projections, own)],
      guards: [...guards],
      upcasters: definition.upcasters,
    });
    return {
      db,
      store,
      async close() {
        await store.close();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * The service's guards, or a ConfigurationError when the chosen event store cannot run them in
 * the append's transaction (its declared `transactionalGuards`): checked by kind before anything
 * is opened (runService checks before starting), so the refusal names the rules that would not hold.
 */
export function assertGuardsCanRun(definition: ServiceDefinition<any>, config: ServiceConfig<any>): readonly Guard[] {
  const guards = listFrom(definition.guards, config.own);
  const { kind } = config.common.eventStore;
  if (guards.length === 0 || EVENT_STORE_CAPABILITIES[kind].transactionalGuards) return guards;
  const capable = Object.entries(EVENT_STORE_CAPABILITIES).filter(([, can]) => can.transactionalGuards);
  throw new ConfigurationError([
    `${definition.name} enforces rules inside the append's transaction (${guards.map((g) => g.name).join(', ')}); ` +
      `EVENT_STORE=${kind} cannot run them: use ${capable.map(([name]) => name).join(' or ')}`,
  ]);
}
