import { sql, type Migration } from 'kysely';
import { REPORTING_SCHEMA } from '../../../shared/schema';
import { LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION } from '../../application/entitlement-usage.views';

const licences = sql.table(`${REPORTING_SCHEMA}.entitlement_usage_licences`);
const pending = sql.table(`${REPORTING_SCHEMA}.usage_pending_events`);

/**
 * Inserts the licences not known yet (so that both streams of a licence queue on its row), locks
 * them in the order of their ids, then reads them and which of `stream_names` have events held:
 * one round trip where it had been three statements (every batch of the entitlement usage
 * consumer runs it). A VOLATILE function's statements each take their own snapshot (READ
 * COMMITTED), so the reads follow the locks: only a holder of a licence's lock holds its events,
 * and the previous holder's are seen once it committed. `held_streams` is the same in every row.
 */
export const lockEntitlementUsageLicencesFunction: Migration = {
  async up(db) {
    await sql`
      CREATE OR REPLACE FUNCTION ${sql.table(`${REPORTING_SCHEMA}.${LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION}`)}(
        license_ids text[], stream_names text[]
      ) RETURNS TABLE (
        license_id text, license_stream_version integer, usage_stream_version integer, usage jsonb,
        sampled_through timestamptz, held_streams text[]
      ) LANGUAGE plpgsql VOLATILE AS $body$
      #variable_conflict use_column
      DECLARE
        held text[];
      BEGIN
        INSERT INTO ${licences} (license_id)
        SELECT id FROM unnest(license_ids) AS id ORDER BY id
        ON CONFLICT DO NOTHING;
        PERFORM FROM ${licences} l WHERE l.license_id = ANY(license_ids) ORDER BY l.license_id FOR UPDATE;
        held := ARRAY(SELECT DISTINCT p.stream_name FROM ${pending} p WHERE p.stream_name = ANY(stream_names));
        RETURN QUERY
          SELECT l.license_id, l.license_stream_version, l.usage_stream_version, l.usage, l.sampled_through, held
          FROM ${licences} l WHERE l.license_id = ANY(license_ids);
      END
      $body$`.execute(db);
  },
};
