import { sql, type Kysely, type Transaction } from 'kysely';
import type { CheckpointStore } from '../event-store';
import { assertSchemaName, checkpointLockKey } from './event-store-schema';
import { precompiled } from './precompiled-query';

/** Checkpoints in the `checkpoints` table of a service's schema; used by every adapter. */
export class PostgresCheckpointStore implements CheckpointStore {
  // A subscription stores its checkpoint after every batch: compiled once (precompiled-query.ts).
  private readonly storePosition = precompiled((db: Kysely<any>, p: { name: string; position: string }) =>
    db
      .withSchema(this.schema)
      .insertInto('checkpoints')
      .values({ name: p.name, position: p.position })
      .onConflict((oc) => oc.column('name').doUpdateSet({ position: p.position, updated_at: sql`now()` })),
  );

  constructor(
    private readonly db: Kysely<any>,
    private readonly schema: string,
  ) {
    assertSchemaName(schema);
  }

  async load(name: string, trx?: Transaction<any>): Promise<string | undefined> {
    const row = await (trx ?? this.db)
      .withSchema(this.schema)
      .selectFrom('checkpoints')
      .select('position')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.position;
  }

  async store(name: string, position: string, trx?: Transaction<any>): Promise<void> {
    await this.storePosition(trx ?? this.db, { name, position });
  }

  async reset(name: string, trx?: Transaction<any>): Promise<void> {
    await (trx ?? this.db).withSchema(this.schema).deleteFrom('checkpoints').where('name', '=', name).execute();
  }

  async lock(name: string, trx: Transaction<any>): Promise<string | undefined> {
    await sql`SELECT pg_advisory_xact_lock(${checkpointLockKey(this.schema, name)})`.execute(trx);
    return this.load(name, trx);
  }
}
