import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineProjection, PostgresEventStore, runProjection, type Recorded, type Upcasters } from '../src';
import { createTestSchema, eventually, uniqueName, type TestSchema } from './test-database';

/** The current shape: version 1 of LicenseRenamed had `{ name }`, version 2 splits it. */
type LicenseEvent =
  | { type: 'LicenseRenamed'; data: { displayName: string; shortName: string } }
  | { type: 'LicenseTagged'; data: { tag: string } };

const upcasters: Upcasters = {
  LicenseRenamed: {
    schemaVersion: 2,
    upcast: (data) => ({ displayName: data.name, shortName: String(data.name).slice(0, 3) }),
  },
};

describe('upcasting on PostgreSQL', () => {
  let testSchema: TestSchema;
  /** The store as the service ran before LicenseRenamed changed, and as it runs now. */
  let before: PostgresEventStore;
  let now: PostgresEventStore;
  let stream: string;
  const seenInline: Recorded<LicenseEvent>[] = [];

  beforeAll(async () => {
    testSchema = await createTestSchema();
    before = new PostgresEventStore({ db: testSchema.db, schema: testSchema.schema });
    const inline = defineProjection<LicenseEvent>()({
      name: 'inline-names',
      eventTypes: ['LicenseRenamed'],
      handle: async (events) => void seenInline.push(...events),
      truncate: async () => {},
    });
    now = new PostgresEventStore({ db: testSchema.db, schema: testSchema.schema, upcasters, projections: [inline] });
    stream = uniqueName('license');
    await before.append(stream, [
      { type: 'LicenseRenamed', data: { name: 'Oracle Database' } },
      { type: 'LicenseTagged', data: { tag: 'db' } },
    ]);
    await now.append(stream, [{ type: 'LicenseRenamed', data: { displayName: 'Db2', shortName: 'Db2' } }]);
  });
  afterAll(async () => {
    await before?.close();
    await now?.close();
    await testSchema?.drop();
  });

  const currentShapes = [
    { type: 'LicenseRenamed', data: { displayName: 'Oracle Database', shortName: 'Ora' }, schemaVersion: 2 },
    { type: 'LicenseTagged', data: { tag: 'db' }, schemaVersion: 1 },
    { type: 'LicenseRenamed', data: { displayName: 'Db2', shortName: 'Db2' }, schemaVersion: 2 },
  ];
  const shapes = (events: Recorded<LicenseEvent>[]) =>
    events
      .filter((event) => event.streamName === stream)
      .map(({ type, data, metadata }) => ({ type, data, schemaVersion: metadata.schemaVersion }));

  it('stamps the schema version of new events in their stored metadata (1 by default)', async () => {
    const stored = await before.readStream(stream);
    expect(stored.events.map((event) => [event.type, event.metadata.schemaVersion, event.data])).toEqual([
      ['LicenseRenamed', 1, { name: 'Oracle Database' }],
      ['LicenseTagged', 1, { tag: 'db' }],
      ['LicenseRenamed', 2, { displayName: 'Db2', shortName: 'Db2' }],
    ]);
  });

  it('upcasts older versions on readStream and readAll, and leaves current ones alone', async () => {
    expect(shapes((await now.readStream<LicenseEvent>(stream)).events)).toEqual(currentShapes);
    expect(shapes((await now.readStream<LicenseEvent>(stream, { afterVersion: 1 })).events)).toEqual(
      currentShapes.slice(1),
    );
    expect(shapes(await now.readAll<LicenseEvent>())).toEqual(currentShapes);
    // Inline projections see the appended events, which are current already.
    expect(shapes(seenInline)).toEqual(currentShapes.slice(2));
  });

  it('upcasts what subscriptions and projections catching up are given', async () => {
    const delivered: Recorded<LicenseEvent>[] = [];
    const subscription = now.subscribe<LicenseEvent>({
      name: uniqueName('subscriber'),
      handler: async (events) => void delivered.push(...events),
    });
    await eventually(() => shapes(delivered).length === 3);
    await subscription.stop();
    expect(shapes(delivered)).toEqual(currentShapes);

    const projected: Recorded<LicenseEvent>[] = [];
    const catchingUp = defineProjection<LicenseEvent>()({
      name: uniqueName('names'),
      eventTypes: ['LicenseRenamed'],
      handle: async (events) => void projected.push(...events),
      truncate: async () => {},
    });
    await runProjection(now, testSchema.db, catchingUp);
    expect(shapes(projected)).toEqual([currentShapes[0], currentShapes[2]]);
  });

  it('refuses an upcaster whose schema version is not a positive integer', () => {
    expect(
      () =>
        new PostgresEventStore({
          db: testSchema.db,
          schema: testSchema.schema,
          upcasters: { LicenseRenamed: { schemaVersion: 0, upcast: (data) => data } },
        }),
    ).toThrow(/positive integer/);
  });
});
