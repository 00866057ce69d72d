import type { ColumnType } from 'kysely';
import type { Secret } from '../domain/secret';

/**
 * Secrets as their events made them, one row per account, Region and name while the secret
 * exists (a secret deleted for good has no row). `document` holds the versions' values sealed
 * with the master key, never in plaintext.
 */
export interface SecretsTable {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  created_at: ColumnType<Date, string, string>;
  last_changed_at: ColumnType<Date, string, string>;
  /** When the sweep deletes it; null unless it is scheduled for deletion. */
  deletion_date: ColumnType<Date | null, string | null, string | null>;
  version: number;
  document: ColumnType<Secret, string, string>;
}

/** The secrets slice's views, as Kysely sees them. */
export interface SecretViews {
  secrets: SecretsTable;
}
