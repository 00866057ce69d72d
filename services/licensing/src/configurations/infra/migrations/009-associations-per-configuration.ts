import { sql, type Migration } from 'kysely';
import { LICENSING_SCHEMA } from '../../../shared/schema';

const associations = sql.table(`${LICENSING_SCHEMA}.license_configuration_associations`);

/**
 * What the planner assumes of the associations per configuration, whatever ANALYZE's sample says.
 * A generic plan (a prepared statement's, after its fifth run) estimates the rows of one
 * configuration from the column's distinct values: with most associations on one configuration (a
 * small account with one configuration for its fleet, or a load run's hot configuration), ANALYZE
 * finds one or two, so each configuration looked like the whole table, and GetLicenseConfiguration
 * read its consumption by two sequential scans of the table, for every configuration. With 2,000
 * associations on one configuration, pgbench read the others' at half the rate of an index scan
 * (9,800 against 19,900 a second at 16 clients). Set as a fraction of the rows (one distinct value a
 * hundred rows), the estimate stays a hundred rows a configuration as the table grows, and the
 * configuration's index is used; the crowded configuration's own read is no slower by its index.
 * Analyzed here so that it holds at once, not at autovacuum's next ANALYZE of the table.
 */
export const associationsPerConfiguration: Migration = {
  async up(db) {
    await sql`alter table ${associations} alter column configuration_id set (n_distinct = -0.01)`.execute(db);
    await sql`analyze ${associations}`.execute(db);
  },
};
