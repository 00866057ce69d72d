import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool, type PoolConfig } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjection, PostgresEventStore, StatementPipeline, type Projection, type RecordedEvent } from '../src';
import { createTestSchema, databaseUrl, uniqueName, type TestSchema } from './test-database';

/**
 * A view written through the append's pipeline: each event inserts its row, without waiting for
 * the answer. An event whose data says `duplicateOf` inserts that event's row again (a unique
 * violation); one that says `readBack` then reads its own row back with an awaited statement,
 * and one that says `refuse` sends a count whose check refuses the append.
 */
class PipelinedView implements Projection {
  readonly name = 'pipelined-view';
  readonly eventTypes = ['Noted'];
  readonly readBack: (string | undefined)[] = [];

  constructor(private readonly schema: string) {}

  async handle(events: RecordedEvent[], trx: Kysely<any>, pipeline: StatementPipeline): Promise<void> {
    const view = trx.withSchema(this.schema);
    for (const event of events) {
      const id = (event.data.duplicateOf as string | undefined) ?? event.eventId;
      pipeline.send(view.insertInto('noted').values({ id, note: event.data.note as string }));
      if (event.data.refuse)
        pipeline.send(
          sql<{ notes: number }>`select count(*)::int as notes from ${sql.id(this.schema, 'noted')}`.compile(view),
          ({ rows }) => {
            throw new Error(`refused with ${rows[0].notes} notes`);
          },
        );
      if (event.data.readBack) {
        const row = await view.selectFrom('noted').select('note').where('id', '=', id).executeTakeFirst();
        this.readBack.push(row?.note);
      }
    }
  }

  async truncate(db: Kysely<any>): Promise<void> {
    await db.withSchema(this.schema).deleteFrom('noted').execute();
  }
}

// Both ways pg sends a session's queries: one at a time, and pipelined, as the services' pool does.
describe.each([
  ['one at a time', false],
  ['pipelined', true],
])('statements sent through the append pipeline, pg sending %s', (_mode, pipelined) => {
  let testSchema: TestSchema;
  let db: Kysely<any>;
  let view: PipelinedView;
  let store: PostgresEventStore;

  beforeAll(async () => {
    testSchema = await createTestSchema();
    db = new Kysely<any>({
      dialect: new PostgresDialect({
        pool: new Pool({ connectionString: databaseUrl(), max: 4, pipeline: pipelined } as PoolConfig),
      }),
    });
    await sql`CREATE TABLE ${sql.id(testSchema.schema, 'noted')} (id text PRIMARY KEY, note text NOT NULL)`.execute(db);
    view = new PipelinedView(testSchema.schema);
    store = new PostgresEventStore({ db, schema: testSchema.schema, projections: [view] });
  });
  afterAll(async () => {
    await db?.destroy();
    await testSchema?.drop();
  });

  const notes = async () =>
    (await db.withSchema(testSchema.schema).selectFrom('noted').select('note').orderBy('note').execute()).map(
      (row) => row.note,
    );
  const streamVersion = async (streamName: string) => (await store.readStream(streamName)).currentVersion;

  it('are written with the append, and seen by the statements after them', async () => {
    const streamName = uniqueName('notes');
    await store.append(streamName, [
      { type: 'Noted', data: { note: `${streamName} a` } },
      { type: 'Noted', data: { note: `${streamName} b`, readBack: true } },
    ]);
    expect(await notes()).toEqual(expect.arrayContaining([`${streamName} a`, `${streamName} b`]));
    expect(view.readBack.at(-1)).toBe(`${streamName} b`);
  });

  it('fail the append with their own error, and nothing of it is kept', async () => {
    const first = uniqueName('notes');
    await store.append(first, [{ type: 'Noted', data: { note: `${first} kept` } }]);
    const [{ eventId }] = (await store.readStream(first)).events;
    const before = await notes();

    const second = uniqueName('notes');
    // The duplicate's insert fails on the server; the commit behind it becomes a rollback.
    await expect(
      store.append(second, [
        { type: 'Noted', data: { note: `${second} new` } },
        { type: 'Noted', data: { note: `${second} duplicate`, duplicateOf: eventId } },
      ]),
    ).rejects.toMatchObject({ code: '23505', constraint: 'noted_pkey' });
    expect(await streamVersion(second)).toBe(0);
    expect(await notes()).toEqual(before);
  });

  it('with a check, are checked before the commit, which a refusal keeps from being sent', async () => {
    const streamName = uniqueName('notes');
    const before = await notes();
    await expect(
      store.append(streamName, [{ type: 'Noted', data: { note: `${streamName} refused`, refuse: true } }]),
    ).rejects.toThrow(/^refused with \d+ notes$/);
    expect(await streamVersion(streamName)).toBe(0);
    expect(await notes()).toEqual(before);
  });

  it('report their failure, not the refusal of an awaited statement behind it', async () => {
    const first = uniqueName('notes');
    await store.append(first, [{ type: 'Noted', data: { note: `${first} kept` } }]);
    const [{ eventId }] = (await store.readStream(first)).events;

    // The read back, awaited, is refused (25P02) because the duplicate's insert failed before it.
    const second = uniqueName('notes');
    await expect(
      store.append(second, [
        { type: 'Noted', data: { note: `${second} again`, duplicateOf: eventId, readBack: true } },
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await streamVersion(second)).toBe(0);
  });

  it('are answered before applyProjection returns, which throws their failure', async () => {
    const streamName = uniqueName('notes');
    await store.append(streamName, [{ type: 'Noted', data: { note: `${streamName} once` } }]);
    const [event] = (await store.readStream(streamName)).events;
    await expect(db.transaction().execute((trx) => applyProjection(view, [event], trx))).rejects.toMatchObject({
      code: '23505',
    });
    const fresh = { ...event, eventId: uniqueName('event'), data: { note: `${streamName} applied` } };
    await db.transaction().execute((trx) => applyProjection(view, [fresh], trx));
    expect(await notes()).toContain(`${streamName} applied`);
  });
});
