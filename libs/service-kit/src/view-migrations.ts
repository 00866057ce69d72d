import { Migrator, sql, type Kysely, type Migration } from 'kysely';

/** A service's view migrations, applied in the order of their names ('001-…', '002-…'). */
export type ViewMigrations = Record<string, Migration>;

/**
 * Applies a service's view migrations in its own schema (created if needed). The ledger of
 * applied ones is Kysely's: `<schema>.kysely_migration` and its lock table, the tables the
 * services' migrations have always used, so existing databases carry on where they are.
 */
export async function migrateViews(db: Kysely<any>, schema: string, migrations: ViewMigrations): Promise<void> {
  await createSchema(db, schema);
  const migrator = new Migrator({
    db: db.withSchema(schema),
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * `create schema if not exists` is not safe against itself: two replicas starting together both
 * see no schema and the second fails on pg_namespace's unique index. A transaction-scoped
 * advisory lock on the schema name makes the second wait and then find it.
 */
async function createSchema(db: Kysely<any>, schema: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`view-schema:${schema}`}, 0))`.execute(trx);
    await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
  });
}

/**
 * One migration made of several, run in order: for a migration written before a service was cut
 * into slices, whose id stays while each slice now keeps its own half.
 */
export function migrationOf(...parts: Migration[]): Migration {
  return {
    async up(db) {
      for (const part of parts) await part.up(db);
    },
  };
}
