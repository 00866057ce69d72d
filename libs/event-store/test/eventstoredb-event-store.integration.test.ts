import { ANY, NO_STREAM } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { createEventStore, EVENT_STORE_CAPABILITIES } from '../src';
import { EventStoreDbEventStore } from '../src/eventstoredb/eventstoredb-event-store';
import {
  positionOfToken,
  positionToken,
  toExpectedRevision,
  versionOfRevision,
} from '../src/eventstoredb/eventstoredb-mapping';
import { describeEventStoreContract } from './event-store-contract';
import { createTestSchema } from './test-database';

const eventStoreUrl = process.env.EVENTSTORE_URL;

if (eventStoreUrl) {
  describeEventStoreContract('eventstoredb', async () => {
    const testSchema = await createTestSchema();
    const store = new EventStoreDbEventStore({ url: eventStoreUrl, db: testSchema.db, schema: testSchema.schema });
    return {
      store,
      db: testSchema.db,
      cleanup: async () => {
        await store.close();
        await testSchema.drop();
      },
    };
  });
} else {
  describe.skip('EventStore contract: eventstoredb (skipped: set EVENTSTORE_URL, e.g. esdb://localhost:2113?tls=false, or run where testcontainers can start one)', () => {
    it('needs an EventStoreDB server', () => {});
  });
}

describe('EventStoreDB mapping', () => {
  it('maps 1-based expected versions to 0-based revisions', () => {
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toExpectedRevision(0)).toBe(NO_STREAM);
    expect(toExpectedRevision(1)).toBe(0n);
    expect(toExpectedRevision(42)).toBe(41n);
    expect(versionOfRevision(NO_STREAM)).toBe(0);
    expect(versionOfRevision(0n)).toBe(1);
    expect(versionOfRevision(41n)).toBe(42);
  });

  it('encodes $all positions as tokens that sort like the positions', () => {
    const low = positionToken({ commit: 99n, prepare: 99n });
    const high = positionToken({ commit: 100n, prepare: 7n });
    expect(low < high).toBe(true);
    expect(positionOfToken(high)).toEqual({ commit: 100n, prepare: 7n });
    expect(() => positionOfToken('100:7')).toThrow(TypeError);
  });
});

describe('createEventStore', () => {
  it('creates the selected adapter on a migrated schema', async () => {
    const testSchema = await createTestSchema();
    try {
      const postgres = await createEventStore({ kind: 'postgres', db: testSchema.db, schema: testSchema.schema });
      await postgres.append('s', [{ type: 'A', data: {} }]);
      // Each adapter declares what its kind is known for before one is opened.
      expect(postgres.capabilities).toEqual(EVENT_STORE_CAPABILITIES.postgres);
      await postgres.close();
      const esdb = await createEventStore({
        kind: 'eventstoredb',
        db: testSchema.db,
        schema: testSchema.schema,
        eventStoreUrl: 'esdb://127.0.0.1:1?tls=false',
      });
      expect(esdb).toBeInstanceOf(EventStoreDbEventStore);
      expect(esdb.capabilities).toEqual(EVENT_STORE_CAPABILITIES.eventstoredb);
      expect(esdb.capabilities.transactionalGuards).toBe(false);
      await esdb.close();
      const guard = { name: 'quota', eventTypes: ['Created'], handle: async () => {}, truncate: async () => {} };
      await expect(
        createEventStore({
          kind: 'eventstoredb',
          db: testSchema.db,
          schema: testSchema.schema,
          eventStoreUrl: 'esdb://127.0.0.1:1?tls=false',
          guards: [guard],
        }),
      ).rejects.toThrow(/cannot enforce guards \(quota\)/);
      await expect(
        createEventStore({ kind: 'eventstoredb', db: testSchema.db, schema: testSchema.schema }),
      ).rejects.toThrow(/eventStoreUrl/);
    } finally {
      await testSchema.drop();
    }
  });
});
