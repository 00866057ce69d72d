import { createEventStore, type EventStore, type RecordedEvent } from '@lm/event-store';
import { Kysely, PostgresDialect } from 'kysely';
import { connect, type NatsConnection } from 'nats';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { LeasedSubscriptions } from '../src/leased-subscriptions';

const SCHEMA = 'leased';
/** Long enough that an event found within it was not found by a poll. */
const POLL_INTERVAL_MS = 5_000;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Two replicas of a service on one store schema and NATS: only the lease holder runs the subscriptions. */
describe('store subscriptions under the subscription lease', () => {
  let database: TestDatabase;
  let nc: NatsConnection;
  const pools: Kysely<any>[] = [];
  const replicas: {
    store: EventStore;
    leased: LeasedSubscriptions;
    held: boolean;
    relayed: RecordedEvent[];
    handled: RecordedEvent[];
  }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('lm_leased_subscriptions');
    nc = await connect({ servers: process.env.NATS_URL });
    for (let i = 0; i < 2; i++) {
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url }) }),
      });
      pools.push(db);
      const store = await createEventStore({ kind: 'postgres', db, schema: SCHEMA });
      const replica = { store, held: false, relayed: [], handled: [] } as unknown as (typeof replicas)[number];
      const subscribe = (name: string, into: RecordedEvent[], eventTypes?: string[]) =>
        store.subscribe({
          name,
          eventTypes,
          handler: async (events) => void into.push(...events),
          pollIntervalMs: POLL_INTERVAL_MS,
        });
      replica.leased = new LeasedSubscriptions({
        service: 'leased-test',
        schema: SCHEMA,
        store,
        nc,
        connectionString: database.url,
        intervalMs: 200,
        startRelay: () => subscribe('relay', replica.relayed),
        startSubscriptions: () => [subscribe('wanted', replica.handled, ['Wanted'])],
        onHeld: (held) => (replica.held = held),
        logger: quiet,
      });
      replicas.push(replica);
    }
  });
  afterAll(async () => {
    await Promise.all(replicas.map(({ leased }) => leased.close()));
    await Promise.all(replicas.map(({ store }) => store.close()));
    await Promise.all(pools.map((db) => db.destroy()));
    await nc?.drain();
    await database?.drop();
  });

  const until = async (what: string, condition: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it("runs them on the holder only, which reads a standby's append at once, not at its next poll", async () => {
    await until('a holder', () => replicas.some((replica) => replica.held), 2_000);
    const holder = replicas.find((replica) => replica.held)!;
    const standby = replicas.find((replica) => !replica.held)!;
    // Past the holder's first reads: its subscriptions now sleep for POLL_INTERVAL_MS.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const appendedAt = performance.now();
    await standby.store.append('thing-1', [{ type: 'Wanted', data: {} }]);
    await until('the holder to handle it', () => holder.handled.length === 1, POLL_INTERVAL_MS / 2);
    await until('the holder to relay it', () => holder.relayed.length === 1, POLL_INTERVAL_MS / 2);
    expect(performance.now() - appendedAt).toBeLessThan(POLL_INTERVAL_MS / 2);
    expect(standby.handled).toEqual([]);
    expect(standby.relayed).toEqual([]);

    // The holder gives the lease up: the standby takes it and goes on from the shared checkpoints.
    await holder.leased.close();
    await until('the standby to take over', () => standby.held, 2_000);
    await holder.store.append('thing-2', [{ type: 'Wanted', data: {} }]);
    await until('the new holder to handle it', () => standby.handled.length === 1, POLL_INTERVAL_MS * 2);
    expect(standby.handled.map((event) => event.streamName)).toEqual(['thing-2']);
  });
});
