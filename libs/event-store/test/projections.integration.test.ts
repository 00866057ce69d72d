import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PostgresEventStore,
  projectionCheckpointName,
  rebuildProjection,
  runProjection,
  type Guard,
  type Projection,
  type RecordedEvent,
} from '../src';
import { createTestSchema, uniqueName, within, type TestSchema } from './test-database';

/** A license list view: one row per license stream, holding its latest name. */
class LicenseListProjection implements Projection {
  readonly eventTypes = ['LicenseCreated', 'LicenseRenamed', 'LicenseDeleted'];
  /** Every event handed to handle(), to check what the projection was (and was not) given. */
  readonly handled: RecordedEvent[] = [];
  /** Milliseconds to spend in each handle() call, to make a rebuild observable. */
  delayMs = 0;

  constructor(
    readonly name: string,
    private readonly schema: string,
    private readonly table: string,
  ) {}

  async migrate(db: Kysely<any>): Promise<void> {
    await sql`CREATE TABLE ${sql.id(this.schema, this.table)} (
      license_id text PRIMARY KEY, name text NOT NULL, version bigint NOT NULL)`.execute(db);
  }

  async handle(events: RecordedEvent[], trx: Kysely<any>): Promise<void> {
    this.handled.push(...events);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const view = trx.withSchema(this.schema);
    for (const event of events) {
      if (event.data.refuse) throw new Error('the view refused the event');
      if (event.type === 'LicenseDeleted') {
        await view.deleteFrom(this.table).where('license_id', '=', event.streamName).execute();
        continue;
      }
      // Idempotent: an event the row already reflects changes nothing.
      await view
        .insertInto(this.table)
        .values({ license_id: event.streamName, name: event.data.name, version: event.streamVersion })
        .onConflict((oc) =>
          oc
            .column('license_id')
            .doUpdateSet({ name: event.data.name as string, version: event.streamVersion })
            .where(`${this.table}.version`, '<', event.streamVersion),
        )
        .execute();
    }
  }

  async truncate(db: Kysely<any>): Promise<void> {
    await db.withSchema(this.schema).deleteFrom(this.table).execute();
  }

  async rows(db: Kysely<any>): Promise<{ license_id: string; name: string; version: string }[]> {
    const rows = await db.withSchema(this.schema).selectFrom(this.table).selectAll().orderBy('license_id').execute();
    return rows as { license_id: string; name: string; version: string }[];
  }
}

describe('projections on PostgreSQL', () => {
  // A schema per test: a rebuild replays every event of the store, not only the test's own.
  let testSchema: TestSchema;
  let db: Kysely<any>;
  beforeEach(async () => {
    testSchema = await createTestSchema();
    db = testSchema.db;
  });
  afterEach(async () => {
    await testSchema?.drop();
  });

  async function inlineStore(name: string) {
    const projection = new LicenseListProjection(name, testSchema.schema, name.replace(/-/g, '_'));
    await projection.migrate(db);
    const store = new PostgresEventStore({ db, schema: testSchema.schema, projections: [projection] });
    return { projection, store };
  }

  it('updates an inline view in the append transaction, with only the event types it reads', async () => {
    const { projection, store } = await inlineStore('inline-view');
    const license = uniqueName('license');
    await store.append(license, [{ type: 'LicenseCreated', data: { name: 'Oracle DB' } }]);
    expect(await projection.rows(db)).toEqual([{ license_id: license, name: 'Oracle DB', version: '1' }]);

    await store.append(license, [
      { type: 'LicenseConsumed', data: { units: 2 } },
      { type: 'LicenseRenamed', data: { name: 'Oracle Database' } },
    ]);
    expect(await projection.rows(db)).toEqual([{ license_id: license, name: 'Oracle Database', version: '3' }]);
    expect(projection.handled.map((e) => e.type)).toEqual(['LicenseCreated', 'LicenseRenamed']);

    projection.handled.length = 0;
    await store.append(uniqueName('unrelated'), [{ type: 'LicenseConsumed', data: {} }]);
    expect(projection.handled).toEqual([]);
  });

  it('rolls the append back when the inline projection fails', async () => {
    const { projection, store } = await inlineStore('refusing-view');
    const license = uniqueName('license');
    await store.append(license, [{ type: 'LicenseCreated', data: { name: 'SQL Server' } }]);
    const before = await store.readAll();

    await expect(
      store.append(license, [{ type: 'LicenseRenamed', data: { name: 'never', refuse: true } }], {
        expectedVersion: 1,
      }),
    ).rejects.toThrow('the view refused the event');

    expect((await store.readStream(license)).currentVersion).toBe(1);
    expect(await store.readAll()).toEqual(before);
    expect(await projection.rows(db)).toEqual([{ license_id: license, name: 'SQL Server', version: '1' }]);
    // The stream's version was not moved either.
    await store.append(license, [{ type: 'LicenseRenamed', data: { name: 'SQL Server 2022' } }], {
      expectedVersion: 1,
    });
    expect((await projection.rows(db))[0].name).toBe('SQL Server 2022');
  });

  it('runs guards in the append transaction, before the projections: a refusing guard rolls the append back', async () => {
    const projection = new LicenseListProjection('guarded-view', testSchema.schema, 'guarded_view');
    await projection.migrate(db);
    const seen: string[] = [];
    const guard: Guard = {
      name: 'no-reserved-names',
      eventTypes: ['LicenseCreated', 'LicenseRenamed'],
      async handle(events) {
        seen.push(...events.map((event) => event.type));
        if (events.some((event) => event.data.name === 'reserved')) throw new Error('the name is reserved');
      },
      async truncate() {},
    };
    const store = new PostgresEventStore({ db, schema: testSchema.schema, projections: [projection], guards: [guard] });
    expect(store.capabilities.transactionalGuards).toBe(true);
    const license = uniqueName('license');
    await store.append(license, [{ type: 'LicenseCreated', data: { name: 'Db2' } }]);
    await expect(
      store.append(license, [{ type: 'LicenseRenamed', data: { name: 'reserved' } }], { expectedVersion: 1 }),
    ).rejects.toThrow('the name is reserved');

    expect(seen).toEqual(['LicenseCreated', 'LicenseRenamed']);
    // The projection was not even called for the refused append.
    expect(projection.handled.map((e) => e.type)).toEqual(['LicenseCreated']);
    expect((await store.readStream(license)).currentVersion).toBe(1);
    expect(await projection.rows(db)).toEqual([{ license_id: license, name: 'Db2', version: '1' }]);
  });

  it('rebuilds a view to the same rows as the live one', async () => {
    const { projection, store } = await inlineStore('rebuilt-view');
    const [a, b, c] = [uniqueName('a'), uniqueName('b'), uniqueName('c')];
    await store.append(a, [{ type: 'LicenseCreated', data: { name: 'A1' } }]);
    await store.append(b, [{ type: 'LicenseCreated', data: { name: 'B1' } }]);
    await store.append(a, [{ type: 'LicenseRenamed', data: { name: 'A2' } }]);
    await store.append(c, [{ type: 'LicenseCreated', data: { name: 'C1' } }]);
    await store.append(b, [{ type: 'LicenseDeleted', data: {} }]);
    await store.append(c, [
      { type: 'LicenseRenamed', data: { name: 'C2' } },
      { type: 'LicenseRenamed', data: { name: 'C3' } },
    ]);
    const live = await projection.rows(db);
    expect(live.map((row) => row.name)).toEqual(['A2', 'C3']);

    // Damage the view, so that only a real rebuild can restore it.
    const table = sql.id(testSchema.schema, 'rebuilt_view');
    await sql`UPDATE ${table} SET name = 'damaged'`.execute(db);
    await sql`INSERT INTO ${table} VALUES ('ghost', 'ghost', 1)`.execute(db);

    await rebuildProjection(store, db, projection, { batchSize: 2 });
    expect(await projection.rows(db)).toEqual(live);
    expect(await store.checkpoints.load(projectionCheckpointName(projection))).toBe(await store.headPosition());
  });

  it('keeps appends that feed a view waiting while it is rebuilt, and others going', async () => {
    const { projection, store } = await inlineStore('busy-view');
    const license = uniqueName('license');
    await store.append(license, [{ type: 'LicenseCreated', data: { name: 'v0' } }]);
    for (let version = 1; version < 10; version++) {
      await store.append(license, [{ type: 'LicenseRenamed', data: { name: `v${version}` } }]);
    }
    projection.delayMs = 30;
    const second = `${license}-2`;

    let rebuilt = false;
    const rebuild = rebuildProjection(store, db, projection, { batchSize: 1 }).then(() => {
      rebuilt = true;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await within(
        store.append(uniqueName('other'), [{ type: 'LicenseConsumed', data: {} }]),
        1_000,
        'an append no view reads',
      );
      expect(rebuilt).toBe(false);

      // A license of its own: it does not even share a view row with the replay.
      await store.append(second, [{ type: 'LicenseCreated', data: { name: 'w' } }]);
      expect(rebuilt).toBe(true);
    } finally {
      await rebuild;
    }
    expect(await projection.rows(db)).toEqual([
      { license_id: license, name: 'v9', version: '10' },
      { license_id: second, name: 'w', version: '1' },
    ]);
  });

  it('runs a projection from its checkpoint, applying each event once even when two runners race', async () => {
    const store = new PostgresEventStore({ db, schema: testSchema.schema });
    const projection = new LicenseListProjection('async-view', testSchema.schema, 'async_view');
    await projection.migrate(db);
    const licenses = Array.from({ length: 4 }, () => uniqueName('license'));
    for (const license of licenses) await store.append(license, [{ type: 'LicenseCreated', data: { name: license } }]);
    const { position } = await store.append(licenses[0], [{ type: 'LicenseRenamed', data: { name: 'renamed' } }]);

    await Promise.all([
      runProjection(store, db, projection, { batchSize: 2, until: position }),
      runProjection(store, db, projection, { batchSize: 3, until: position }),
    ]);
    const mine = projection.handled.filter((e) => licenses.includes(e.streamName));
    expect(mine.map((e) => `${e.streamName}@${e.streamVersion}`)).toEqual([
      ...licenses.map((license) => `${license}@1`),
      `${licenses[0]}@2`,
    ]);
    expect(new Set(projection.handled.map((e) => e.eventId)).size).toBe(projection.handled.length);
    expect((await projection.rows(db)).filter((row) => licenses.includes(row.license_id))).toHaveLength(4);
    expect((await store.checkpoints.load(projectionCheckpointName(projection)))! >= position).toBe(true);

    const count = projection.handled.length;
    await runProjection(store, db, projection);
    expect(projection.handled).toHaveLength(count);
    await store.append(licenses[1], [{ type: 'LicenseDeleted', data: {} }]);
    await runProjection(store, db, projection);
    expect(projection.handled.slice(count).map((e) => e.type)).toEqual(['LicenseDeleted']);
    expect((await projection.rows(db)).some((row) => row.license_id === licenses[1])).toBe(false);
  });
});
