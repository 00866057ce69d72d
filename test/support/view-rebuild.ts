import { createEventStore, rebuildProjection, type Projection } from '@lm/event-store';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool, type PoolConfig } from 'pg';
import { expect } from 'vitest';

/** Views of one service's event store, and the projections (in the service's order) that write them. */
export interface ServiceViews {
  schema: string;
  projections: Projection[];
  tables: string[];
}

/**
 * The views hold what their events say: each table's rows as the running system left them equal
 * the rows the service's own projections write when rebuildProjection folds the whole event store
 * again. Run it once the load has stopped (a rebuild holds the projections' locks while it runs).
 */
export async function expectViewsEqualRebuild(databaseUrl: string, views: ServiceViews): Promise<void> {
  const db = new Kysely<any>({
    // Pipelined, as the services' sessions are: a projection's pipelined writes are sent so there.
    dialect: new PostgresDialect({
      pool: new Pool({ connectionString: databaseUrl, max: 2, pipeline: true } as PoolConfig),
    }),
  });
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        views.tables.map(async (table) => {
          const rows = await db.withSchema(views.schema).selectFrom(table).selectAll().execute();
          // In a stable order that needs no knowledge of each table's key.
          return [table, rows.map((row) => JSON.stringify(row)).sort()] as const;
        }),
      ),
    );
  try {
    const live = await snapshot();
    const store = await createEventStore({ kind: 'postgres', db, schema: views.schema });
    try {
      for (const projection of views.projections) await rebuildProjection(store, db, projection);
    } finally {
      await store.close();
    }
    expect(await snapshot(), `${views.schema} views after a rebuild from its events`).toEqual(live);
  } finally {
    await db.destroy();
  }
}
