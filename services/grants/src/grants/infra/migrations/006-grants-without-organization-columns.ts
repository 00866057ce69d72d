import type { Kysely, Migration } from 'kysely';

/**
 * Organization and OU grants cover their accounts through per-account sub-grants, so nothing
 * reads a grant's organization or OU columns any more: dropped (with their index).
 */
export const grantsWithoutOrganizationColumns: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('grants_by_grantee_organization').ifExists().execute();
    await db.schema.alterTable('grants').dropColumn('grantee_organization_id').dropColumn('grantee_ou_id').execute();
  },
};
