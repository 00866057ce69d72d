import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompiled } from '../src';
import { createTestSchema, type TestSchema } from './test-database';

/** A query compiled once and run with each call's values. */
describe('precompiled', () => {
  let test: TestSchema;
  let built = 0;
  const counters = () => sql.id(test.schema, 'counters');

  /** Adds `delta` to a counter (created at `delta`), returning it: values in an insert, an update and a raw template. */
  const addToCounter = precompiled((db: Kysely<any>, p: { name: string; delta: number; note: string | null }) => {
    built++;
    return db
      .withSchema(test.schema)
      .insertInto('counters')
      .values({ name: p.name, value: p.delta, note: p.note })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`counters.value + ${p.delta}`, note: p.note }))
      .returning(['value', 'note']);
  });
  const counterAbove = precompiled(
    (db: Kysely<any>, p: { name: string; atLeast: number }) =>
      sql<{ name: string }>`select name from ${counters()} where name = ${p.name} and value >= ${p.atLeast}`,
  );

  beforeAll(async () => {
    test = await createTestSchema();
    await sql`create table ${counters()} (name text primary key, value int not null, note text)`.execute(test.db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('is built once, and each run binds its own values where the first run placed them', async () => {
    expect((await addToCounter(test.db, { name: 'a', delta: 2, note: 'first' })).rows).toEqual([
      { value: 2, note: 'first' },
    ]);
    expect((await addToCounter(test.db, { name: 'a', delta: 5, note: null })).rows).toEqual([{ value: 7, note: null }]);
    expect((await addToCounter(test.db, { name: 'b', delta: 1, note: 'other' })).rows).toEqual([
      { value: 1, note: 'other' },
    ]);
    expect(built).toBe(1);
    await test.db.transaction().execute(async (trx) => {
      expect((await counterAbove(trx, { name: 'a', atLeast: 7 })).rows).toEqual([{ name: 'a' }]);
      expect((await counterAbove(trx, { name: 'a', atLeast: 8 })).rows).toEqual([]);
    });
  });

  it('refuses a value its query does not carry as a parameter, and keys other than the first run named', async () => {
    const ignoring = precompiled((db: Kysely<any>, _p: { name: string }) =>
      db.withSchema(test.schema).selectFrom('counters').select('name'),
    );
    await expect(ignoring(test.db, { name: 'a' })).rejects.toThrow(/name are not parameters/);
    await expect(counterAbove(test.db, { name: 'a' } as never)).rejects.toThrow(/every run names/);
    await expect(counterAbove(test.db, { name: 'a', atLeast: 1, extra: 2 } as never)).rejects.toThrow(
      /extra is not one of its parameters/,
    );
  });
});
