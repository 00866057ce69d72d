import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * The key a service seals its NextTokens with (see usePageTokenKey): made once, at the first start
 * of the service on its database, and kept in its schema (`service_keys`), so that every replica,
 * and every later start, reads back the tokens another wrote. An advisory lock makes replicas
 * starting together create the table once.
 */
export async function loadPageTokenKey(db: Kysely<any>, schema: string): Promise<Buffer> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`service-keys:${schema}`}, 0))`.execute(trx);
    await sql`create table if not exists ${sql.id(schema, 'service_keys')} (name text primary key, value bytea not null)`.execute(
      trx,
    );
    await sql`insert into ${sql.id(schema, 'service_keys')} (name, value) values ('page-token', ${randomBytes(32)})
      on conflict (name) do nothing`.execute(trx);
    const { rows } = await sql<{ value: Buffer }>`
      select value from ${sql.id(schema, 'service_keys')} where name = 'page-token'`.execute(trx);
    return rows[0].value;
  });
}
