import { sql, type Migration } from 'kysely';
import { LICENSING_SCHEMA } from '../../../shared/schema';
import { ACCOUNT_LOCK_PREFIX, COVERING_GROUPS_FUNCTION } from '../../application/asset-groups.views';

const settings = sql.table(`${LICENSING_SCHEMA}.service_settings`);
const groups = sql.table(`${LICENSING_SCHEMA}.license_asset_groups`);
/** Whether group `g` covers one of `accounts` (a variable of the function): its owner's, or its owner's organization's under cross-account discovery. */
const covers = (accounts: string) => sql`(g.owner_account_id = any(${sql.raw(accounts)}) or exists (
    select 1 from ${settings} s
    where s.account_id = g.owner_account_id and s.region = g.region
      and s.cross_account_discovery and s.member_account_ids ?| ${sql.raw(accounts)}))`;
/** The lock of the account in `account` (a column), as AssetGroupMembership takes it. */
const lockOf = (account: string) =>
  sql`pg_advisory_xact_lock(hashtext(${sql.lit(ACCOUNT_LOCK_PREFIX)} || ${sql.raw(account)}))`;

/**
 * Locks the accounts and every account whose groups cover one of them, then reads the active
 * groups covering any of the accounts and whether each covers one of `holders`: one round trip
 * where it had been two statements (a Create of a configuration is an asset changed). A VOLATILE
 * function's statements each take their own snapshot (READ COMMITTED), so every read follows the
 * locks taken before it. The managers are read again with the groups, in one statement: settings
 * changed meanwhile add their manager's lock (the settings' projection holds it while it evaluates
 * that manager's groups again), and the groups are read again under it.
 */
export const coveringGroupsFunction: Migration = {
  async up(db) {
    await sql`
      CREATE OR REPLACE FUNCTION ${sql.table(`${LICENSING_SCHEMA}.${COVERING_GROUPS_FUNCTION}`)}(
        account_ids text[], holders text[]
      ) RETURNS TABLE (group_document jsonb, covers_holder boolean) LANGUAGE plpgsql VOLATILE AS $body$
      DECLARE
        locked text[];
        managers text[];
        found jsonb;
        missing text[];
      BEGIN
        SELECT coalesce(array_agg(c.account_id), '{}') INTO locked FROM (
          SELECT a.account_id, ${lockOf('a.account_id')} FROM (
            SELECT unnest(account_ids) AS account_id
            UNION
            SELECT s.account_id FROM ${settings} s
            WHERE s.cross_account_discovery AND s.member_account_ids ?| account_ids
            ORDER BY account_id
          ) AS a
        ) AS c;
        LOOP
          SELECT m.managers,
                 coalesce(jsonb_agg(jsonb_build_array(g.document, ${covers('holders')}))
                   FILTER (WHERE g.document IS NOT NULL), '[]')
            INTO managers, found
          FROM (
            SELECT coalesce(array_agg(DISTINCT s.account_id), '{}') AS managers FROM ${settings} s
            WHERE s.cross_account_discovery AND s.member_account_ids ?| account_ids
          ) AS m
          LEFT JOIN ${groups} g ON g.status = 'ACTIVE' AND ${covers('account_ids')}
          GROUP BY m.managers;
          missing := ARRAY(SELECT unnest(managers) EXCEPT SELECT unnest(locked) ORDER BY 1);
          EXIT WHEN cardinality(missing) = 0;
          PERFORM ${lockOf('x.account_id')} FROM (SELECT unnest(missing) AS account_id ORDER BY 1) AS x;
          locked := locked || missing;
        END LOOP;
        RETURN QUERY SELECT f.entry -> 0, (f.entry ->> 1)::boolean FROM jsonb_array_elements(found) AS f(entry);
      END
      $body$`.execute(db);
  },
};
