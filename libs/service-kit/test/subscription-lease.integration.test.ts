import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { SUBSCRIPTION_LEASE_LOCK_SPACE, SubscriptionLease } from '../src/subscription-lease';

const INTERVAL_MS = 200;
const quiet = { log: () => undefined, warn: () => undefined };

/** A lease as a replica of a service holds it, with every change it was told of. */
function replica(database: TestDatabase, schema: string) {
  const changes: boolean[] = [];
  const lease = new SubscriptionLease({
    connectionString: database.url,
    schema,
    intervalMs: INTERVAL_MS,
    onChange: (held) => changes.push(held),
    logger: quiet,
  });
  return { lease, changes };
}

async function until(what: string, condition: () => boolean, timeoutMs = 10 * INTERVAL_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two replicas of one service, and of another service on the same database. */
describe('the subscription lease, on PostgreSQL', () => {
  let database: TestDatabase;
  let admin: Client;
  let replicas: ReturnType<typeof replica>[] = [];

  const start = (schema: string) => {
    const started = replica(database, schema);
    replicas.push(started);
    return started;
  };
  /** Sessions holding a subscription lease's lock on this database. */
  const holders = async () =>
    (
      await admin.query<{ pid: number }>(
        `select pid from pg_locks where locktype = 'advisory' and classid = $1 and objsubid = 2 and granted
           and database = (select oid from pg_database where datname = current_database())`,
        [SUBSCRIPTION_LEASE_LOCK_SPACE],
      )
    ).rows.map((row) => row.pid);

  beforeAll(async () => {
    database = await createTestDatabase('lm_subscription_lease');
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(replicas.map(({ lease }) => lease.close()));
    replicas = [];
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  it('is held by exactly one of two replicas of a service, and by one of another service beside them', async () => {
    const [a, b] = [start('grants'), start('grants')];
    const other = start('licensing');
    await until('a holder', () => a.lease.held || b.lease.held);
    await until('the other service to hold its own', () => other.lease.held);
    await pause(3 * INTERVAL_MS);
    expect([a.lease.held, b.lease.held].filter(Boolean)).toHaveLength(1);
    expect([...a.changes, ...b.changes]).toEqual([true]);
    expect(await holders()).toHaveLength(2);
  });

  it('passes to the standby when the holder’s session is terminated; the terminated one reports it lost', async () => {
    const [a, b] = [start('grants'), start('grants')];
    await until('a holder', () => a.lease.held || b.lease.held);
    const [holder, standby] = a.lease.held ? [a, b] : [b, a];
    const [pid] = await holders();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await until('the standby to take over', () => standby.lease.held, 5 * INTERVAL_MS);
    expect(holder.changes).toEqual([true, false]);
    expect(standby.changes).toEqual([true]);
    // The terminated replica tries again, and stands by while the other holds the lease.
    await pause(4 * INTERVAL_MS);
    expect(holder.lease.held).toBe(false);
    expect(await holders()).toHaveLength(1);
  });

  it('passes to the standby when the holder closes', async () => {
    const [a, b] = [start('grants'), start('grants')];
    await until('a holder', () => a.lease.held || b.lease.held);
    const [holder, standby] = a.lease.held ? [a, b] : [b, a];
    await holder.lease.close();
    expect(holder.lease.held).toBe(false);
    await until('the standby to take over', () => standby.lease.held, 3 * INTERVAL_MS);
  });
});
