import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_LOCK_PREFIX, COVERING_GROUPS_FUNCTION } from '../src/asset-groups/application/asset-groups.views';
import { LicensingService } from '../src/licensing.service';
import { LICENSING_SCHEMA } from '../src/shared/schema';
import { serviceDatabaseSessions, waitingForLock } from '../../../test/support/service-sessions';

const MEMBER = '222222222222';
const MANAGER = '111111111111';
const lockOf = (account: string) => `hashtext('${ACCOUNT_LOCK_PREFIX}${account}')`;

/**
 * The locks an asset's change takes before it reads the groups covering it (see
 * AssetGroupMembership): its accounts', and those of every account whose groups cover them,
 * including a manager whose cross-account discovery was turned on while the change waited.
 */
describe("the covering groups' function of licensing (locks, then reads under them)", () => {
  const { session } = serviceDatabaseSessions(LicensingService, 'lm_covering_groups');
  /** Whether another session holds the account's lock now. */
  const lockedElsewhere = async (account: string) => {
    const probe = await session();
    const { rows } = await probe.query(`select pg_try_advisory_lock(${lockOf(account)}) as free`);
    if (rows[0].free) await probe.query(`select pg_advisory_unlock(${lockOf(account)})`);
    return !rows[0].free;
  };
  const covering = (client: Client, accounts: string[]) =>
    client.query(`select * from ${LICENSING_SCHEMA}.${COVERING_GROUPS_FUNCTION}($1::text[], $1::text[])`, [accounts]);

  it("locks the asset's account alone when nobody manages it, until the transaction ends", async () => {
    const change = await session();
    await change.query('begin');
    expect((await covering(change, [MEMBER])).rows).toEqual([]);
    expect(await lockedElsewhere(MEMBER)).toBe(true);
    expect(await lockedElsewhere(MANAGER)).toBe(false);
    await change.query('commit');
    expect(await lockedElsewhere(MEMBER)).toBe(false);
  });

  it("also locks a manager whose cross-account discovery was turned on while it waited for the account's lock", async () => {
    const settings = await session();
    await settings.query('begin');
    await settings.query(`select pg_advisory_xact_lock(${lockOf(MEMBER)})`);
    await settings.query(
      `insert into ${LICENSING_SCHEMA}.service_settings (account_id, region, cross_account_discovery, member_account_ids)
       values ($1, 'us-east-1', true, $2::jsonb)`,
      [MANAGER, JSON.stringify([MEMBER])],
    );
    const change = await session();
    await change.query('begin');
    // Waiting for the member's lock, its first statement's snapshot has no manager yet.
    const read = await waitingForLock(settings, change, (client) => covering(client, [MEMBER]));
    await settings.query('commit');
    await read.result;
    expect(await lockedElsewhere(MANAGER)).toBe(true);
    await change.query('commit');
    expect(await lockedElsewhere(MANAGER)).toBe(false);
  });
});
