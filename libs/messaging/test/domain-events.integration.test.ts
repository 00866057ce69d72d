import { randomBytes } from 'node:crypto';
import { createEventStore, type EventStore } from '@lm/event-store';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  domainEventMessageId,
  eventSubject,
  startDurableEventConsumer,
  startEventRelay,
  type DomainEventMessage,
} from '../src';

const eventually = async (condition: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('domain events: relay to JetStream and idempotent durable consumers', () => {
  const run = randomBytes(4).toString('hex');
  const service = `msgtest${run}`;
  const schema = `msg_test_${run}`;
  let db: Kysely<any>;
  let nc: NatsConnection;
  let store: EventStore;

  beforeAll(async () => {
    db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) }),
    });
    nc = await connect({ servers: process.env.NATS_URL });
    store = await createEventStore({ kind: 'postgres', db, schema });
    await sql`create table ${sql.id(schema, 'applied')} (stream text, version int, type text, schema_version int)`.execute(
      db,
    );
  });
  afterAll(async () => {
    await store.close();
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
    await nc.drain();
  });

  const appliedRows = async () =>
    (await db.withSchema(schema).selectFrom('applied').selectAll().orderBy('stream').orderBy('version').execute()) as {
      stream: string;
      version: number;
      type: string;
      schema_version: number;
    }[];

  it('relays every stored event once with its schema version, and a consumer applies each once despite duplicates and failures', async () => {
    let failuresLeft = 1;
    let redeliveries = 0;
    const consumer = await startDurableEventConsumer({
      nc,
      db,
      schema,
      durableName: `consumer-${run}`,
      filterSubject: eventSubject(service, '>'),
      // One event per transaction: the relay publishes a batch at once, and a failed batch would be
      // applied again event by event in-process; alone, the failed event is redelivered by JetStream.
      batchSize: 1,
      handle: async (event, trx) => {
        // The first delivery of the first event fails after writing: the rollback undoes the write.
        await trx
          .withSchema(schema)
          .insertInto('applied')
          .values({
            stream: event.streamName,
            version: event.streamVersion,
            type: event.type,
            schema_version: event.schemaVersion,
          })
          .execute();
        if (failuresLeft-- > 0) throw new Error('transient failure');
      },
      onRedelivery: () => redeliveries++,
    });
    // ThingRenamed's data changed once: its messages say so, so that consumers can upcast older ones.
    const relay = await startEventRelay({
      service,
      store,
      nc,
      schemaVersion: (type) => (type === 'ThingRenamed' ? 2 : 1),
    });

    await store.append('thing-a', [
      { type: 'ThingCreated', data: { n: 1 } },
      { type: 'ThingRenamed', data: { n: 2 } },
    ]);
    await store.append('thing-b', [{ type: 'ThingCreated', data: { n: 3 } }]);
    await eventually(async () => (await appliedRows()).length === 3);

    // A duplicate publish with another JetStream message id (so the server cannot drop it) is
    // still recognised by the consumer's ledger and not applied again.
    const codec = JSONCodec<DomainEventMessage>();
    const duplicate: DomainEventMessage = {
      service,
      eventId: 'x',
      streamName: 'thing-b',
      streamVersion: 1,
      type: 'ThingCreated',
      schemaVersion: 1,
      data: { n: 3 },
      recordedAt: new Date().toISOString(),
    };
    await nc.jetstream().publish(eventSubject(service, 'ThingCreated'), codec.encode(duplicate), {
      msgID: `${domainEventMessageId(duplicate)}:again`,
    });
    // And a republish with the same message id (a relay that crashed before its checkpoint) is dropped by JetStream.
    const ack = await nc.jetstream().publish(eventSubject(service, 'ThingCreated'), codec.encode(duplicate), {
      msgID: domainEventMessageId(duplicate),
    });
    expect(ack.duplicate).toBe(true);

    await store.append('thing-a', [{ type: 'ThingDeleted', data: {} }]);
    await eventually(async () => (await appliedRows()).length === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(await appliedRows()).toEqual([
      { stream: 'thing-a', version: 1, type: 'ThingCreated', schema_version: 1 },
      { stream: 'thing-a', version: 2, type: 'ThingRenamed', schema_version: 2 },
      { stream: 'thing-a', version: 3, type: 'ThingDeleted', schema_version: 1 },
      { stream: 'thing-b', version: 1, type: 'ThingCreated', schema_version: 1 },
    ]);
    // The failed first delivery came again once (the chassis counts it in lm_consumer_redeliveries_total).
    expect(redeliveries).toBe(1);

    await relay.stop();
    await consumer.stop();
  });

  it('resumes the relay from its durable checkpoint without republishing', async () => {
    const seen: string[] = [];
    const sub = nc.subscribe(eventSubject(service, 'Counted'), {
      callback: (_err, msg) => seen.push(JSONCodec<DomainEventMessage>().decode(msg.data).streamName),
    });
    const first = await startEventRelay({ service, store, nc });
    await store.append('count-1', [{ type: 'Counted', data: {} }]);
    await eventually(async () => seen.length === 1);
    await first.stop();
    await store.append('count-2', [{ type: 'Counted', data: {} }]);
    const second = await startEventRelay({ service, store, nc });
    await eventually(async () => seen.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['count-1', 'count-2']);
    await second.stop();
    sub.unsubscribe();
  });
});
