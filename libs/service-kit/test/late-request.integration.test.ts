import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPastDeadline } from '@lm/contracts';
import { createEventStore, defineProjection, migrateEventStoreSchema, NewStreamBatcher } from '@lm/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { openDatabasePool } from '../src/database-pool';
import { currentRequestDeadline, outsideRequest, withDeadline } from '../src/late-request';

/** A request's transaction that reaches its commit after the request's deadline is rolled back. */
describe('the deadline of the request whose work runs', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  const rows = async () => (await sql<{ n: number }>`select count(*)::int as n from work`.execute(db)).rows[0].n;
  const insertInTransaction = () =>
    db.transaction().execute(async (trx) => {
      await sql`insert into work values (1)`.execute(trx);
    });

  beforeAll(async () => {
    database = await createTestDatabase('lm_late_request');
    db = new Kysely({
      dialect: new PostgresDialect({ pool: openDatabasePool({ connectionString: database.url, max: 2 }) }),
    });
    await sql`create table work (n int)`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('is read from the request: past when its time is before now, absent without one', () => {
    expect(isPastDeadline({ deadline: Date.now() - 1 })).toBe(true);
    expect(isPastDeadline({ deadline: Date.now() + 60_000 })).toBe(false);
    expect(isPastDeadline({ requestId: 'r' })).toBe(false);
    expect(isPastDeadline(null)).toBe(false);
  });

  it('commits the work of a request within its deadline, and of work without one', async () => {
    await withDeadline(Date.now() + 60_000, insertInTransaction);
    await insertInTransaction();
    expect(await rows()).toBe(2);
  });

  it('rolls back, with ServiceUnavailableException, a transaction whose request passed its deadline before the commit', async () => {
    const before = await rows();
    const late = withDeadline(Date.now() + 50, () =>
      db.transaction().execute(async (trx) => {
        await sql`insert into work values (2)`.execute(trx);
        // The process stopped here (SIGSTOP, a long pause): the deadline passes before the commit.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }),
    );
    await expect(late).rejects.toMatchObject({ name: 'ServiceUnavailableException' });
    expect(await rows()).toBe(before);
    // The session goes on serving other work.
    await insertInTransaction();
    expect(await rows()).toBe(before + 1);
  });

  it("commits background work a request started, after the request's deadline (outsideRequest)", async () => {
    const before = await rows();
    let background: Promise<void> | undefined;
    await withDeadline(Date.now() + 50, async () => {
      // A step the request only starts, which outlives it.
      background = outsideRequest(() =>
        db.transaction().execute(async (trx) => {
          await sql`insert into work values (3)`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }),
      );
    });
    await background;
    expect(await rows()).toBe(before + 1);
  });

  it("rolls back a late request's create in a group commit, and keeps the others of its batch", async () => {
    await migrateEventStoreSchema(db, 'late_es');
    // Every append takes 100 ms in its transaction: the process is slow.
    const slow = defineProjection()({
      name: 'slow',
      eventTypes: ['Started'],
      handle: () => new Promise((resolve) => setTimeout(resolve, 100)),
      truncate: async () => {},
    });
    const store = await createEventStore({ kind: 'postgres', db, schema: 'late_es', projections: [slow] });
    // As the chassis makes it (defineService): a batch runs under its most urgent request's deadline.
    const batcher = new NewStreamBatcher(store, { urgency: currentRequestDeadline });
    const started = [{ type: 'Started', data: {} }];
    const outcomes = await Promise.allSettled([
      // Goes alone at once; the two behind it wait for it, then go together.
      batcher.append('first', started),
      withDeadline(Date.now() + 60_000, () => batcher.append('patient', started)),
      withDeadline(Date.now() + 50, () => batcher.append('late', started)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ name: 'ServiceUnavailableException' });
    const { rows: stored } = await sql<{ stream_name: string }>`
      select stream_name from late_es.events order by stream_name`.execute(db);
    expect(stored.map((row) => row.stream_name)).toEqual(['first', 'patient']);
    await store.close();
  });
});
