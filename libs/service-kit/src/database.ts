import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { DEFAULT_DATABASE_URL } from './config/common-config';

/* @deprecated grants' openServiceStore uses these until it moves onto defineService; then they go. */

/** `<SERVICE>_DATABASE_URL` (e.g. LICENSING_DATABASE_URL) when set, so services can be spread over servers. */
export function databaseUrlFor(service: string, env = process.env): string {
  const key = `${service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
  return env[key] ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

export function createDatabase<DB>(url: string, poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 20)): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: poolSize }) }) });
}
