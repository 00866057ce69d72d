import type { ColumnType } from 'kysely';
import type { SigningKey } from '../domain/signing-key';

/** Signing keys as their events made them (public half and state). */
export interface SigningKeysTable {
  key_id: string;
  account_id: string;
  region: string;
  key_state: string;
  created_at: ColumnType<Date, string, string>;
  version: number;
  document: ColumnType<SigningKey, string, string>;
}

/** Each key's private half: PKCS#8 DER sealed with the master key ('signing-key' purpose). */
export interface SigningKeyMaterialTable {
  key_id: string;
  sealed: string;
}

/** The signing-keys slice's views, as Kysely sees them. */
export interface SigningKeyViews {
  signing_keys: SigningKeysTable;
  signing_key_material: SigningKeyMaterialTable;
}
