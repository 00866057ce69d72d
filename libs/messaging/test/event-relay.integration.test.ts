import { randomBytes } from 'node:crypto';
import { createEventStore, type EventStore } from '@lm/event-store';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { connect, DiscardPolicy, JSONCodec, type Msg, type NatsConnection, type PubAck } from 'nats';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RELAY_CHECKPOINT, EVENTS_STREAM, eventSubject, startEventRelay, type DomainEventMessage } from '../src';

const codec = JSONCodec<DomainEventMessage>();
const acks = JSONCodec<PubAck>();

type Publish = NatsConnection['publish'];

const eventually = async (condition: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * The connection, whose publishes go through `send` (given nats.js' own publish) and whose
 * subscriptions' messages are shown to `receive` first: what the relay sends and the acks it
 * gets, seen from outside.
 */
function observed(
  nc: NatsConnection,
  hooks: { send?: (publish: Publish, ...args: Parameters<Publish>) => void; receive?: (msg: Msg) => void },
): NatsConnection {
  const publish: Publish = (...args) => (hooks.send ? hooks.send(nc.publish.bind(nc), ...args) : nc.publish(...args));
  const subscribe: NatsConnection['subscribe'] = (subject, options) =>
    nc.subscribe(subject, {
      ...options,
      callback: (error, msg) => {
        if (!error) hooks.receive?.(msg);
        options?.callback?.(error, msg);
      },
    });
  return new Proxy(nc, {
    get(target, property) {
      if (property === 'publish') return publish;
      if (property === 'subscribe') return subscribe;
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('event relay: pipelined publishes to JetStream', () => {
  const run = randomBytes(4).toString('hex');
  let db: Kysely<any>;
  let nc: NatsConnection;
  const stores: { store: EventStore; schema: string }[] = [];
  /** A subject whose stream (of this test) holds one message at most and refuses any more. */
  const fullSubject = `relaytest.${run}.full`;
  const fullStream = `RELAY_TEST_FULL_${run}`;

  beforeAll(async () => {
    db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) }),
    });
    nc = await connect({ servers: process.env.NATS_URL });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: fullStream, subjects: [fullSubject], max_msgs: 1, discard: DiscardPolicy.New });
    await nc.jetstream().publish(fullSubject);
  });
  afterAll(async () => {
    for (const { store, schema } of stores) {
      await store.close();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    }
    await db.destroy();
    await (await nc.jetstreamManager()).streams.delete(fullStream);
    await nc.drain();
  });

  /** A fresh store (its own relay checkpoint) for a service of its own (its own subjects). */
  const newService = async (name: string) => {
    const schema = `relay_test_${run}_${name}`;
    const store = await createEventStore({ kind: 'postgres', db, schema });
    stores.push({ store, schema });
    return { service: `relay${run}${name}`, store };
  };

  /** Appends `count` events over streams of ten events each, in one transaction: the relay reads them in one batch. */
  const appendEvents = async (store: EventStore, prefix: string, count: number) => {
    await store.appendToStreams(
      Array.from({ length: count / 10 }, (_, stream) => ({
        streamName: `${prefix}-${stream}`,
        events: Array.from({ length: 10 }, (_, i) => ({ type: 'Counted', data: { n: stream * 10 + i } })),
      })),
    );
  };

  /** The service's messages in JetStream, in the stream's order, as `<stream>:<version>`. */
  const relayed = async (service: string): Promise<string[]> => {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: eventSubject(service, '>') });
    const count = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    if (count === 0) return [];
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, { filterSubjects: eventSubject(service, '>') });
    const messages: string[] = [];
    for await (const message of await consumer.fetch({ max_messages: count, expires: 5_000 })) {
      const event = codec.decode(message.data);
      messages.push(`${event.streamName}:${event.streamVersion}`);
      if (messages.length === count) break;
    }
    return messages;
  };

  const storeOrder = async (store: EventStore) =>
    (await store.readAll({ limit: 10_000 })).map((event) => `${event.streamName}:${event.streamVersion}`);

  /** Whether the relay's checkpoint is at the store's last event (readAll may hold it back while others' transactions run). */
  const caughtUp = async (store: EventStore) => {
    const last = (await store.readAll({ limit: 10_000 })).at(-1)?.position;
    return last !== undefined && (await store.checkpoints.load(EVENT_RELAY_CHECKPOINT)) === last;
  };

  it('sends a batch with up to maxInFlight publishes awaiting their acks at once, and JetStream keeps store order', async () => {
    const { service, store } = await newService('window');
    await appendEvents(store, 'window', 300);
    let inFlight = 0;
    let mostInFlight = 0;
    const counting = observed(nc, {
      send: (publish, subject, data, options) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        publish(subject, data, options);
      },
      receive: () => {
        inFlight -= 1;
      },
    });

    const relay = await startEventRelay({ service, store, nc: counting, schemaVersion: () => 1, maxInFlight: 64 });
    await eventually(() => caughtUp(store));
    await relay.stop();

    // The 300 events were read in one batch: the relay filled its window before the first ack.
    expect(mostInFlight).toBe(64);
    expect(await relayed(service)).toEqual(await storeOrder(store));
  });

  it.each([
    { name: 'full', refusal: 'JetStream refuses it: its stream is full', subject: () => fullSubject },
    { name: 'unbound', refusal: 'no stream binds its subject', subject: () => `relaytest.${run}.unbound` },
  ])(
    'keeps the checkpoint before a failed publish ($refusal), and after recovery has every event in JetStream once: the retried batch is dropped as duplicates by message id',
    async ({ name, subject: failingSubject }) => {
      const { service, store } = await newService(`failure${name}`);
      await appendEvents(store, 'before', 20);
      let failing = true;
      let failures = 0;
      let duplicates = 0;
      // The one event is sent, headers and reply subject as they are, where the server refuses it.
      const failingOne = observed(nc, {
        send: (publish, subject, data, options) => {
          const event = codec.decode(data as Uint8Array);
          if (failing && event.streamName === 'during-4' && event.streamVersion === 3) {
            failures += 1;
            publish(failingSubject(), data, options);
          } else publish(subject, data, options);
        },
        receive: (msg) => {
          if (msg.data.length > 0 && acks.decode(msg.data).duplicate) duplicates += 1;
        },
      });

      const relay = await startEventRelay({ service, store, nc: failingOne, schemaVersion: () => 1, maxInFlight: 8 });
      await eventually(() => caughtUp(store));
      const beforeFailure = await store.checkpoints.load(EVENT_RELAY_CHECKPOINT);

      // The 43rd of the second batch fails, again and again: the checkpoint stays where it was.
      await appendEvents(store, 'during', 100);
      await eventually(async () => failures >= 3);
      expect(await store.checkpoints.load(EVENT_RELAY_CHECKPOINT)).toBe(beforeFailure);
      const whileFailing = await relayed(service);
      expect(whileFailing).not.toContain('during-4:3');
      // What went out before the failure is in JetStream already.
      expect(whileFailing).toContain('during-4:2');

      failing = false;
      await eventually(() => caughtUp(store));
      await relay.stop();

      const all = await relayed(service);
      expect(all).toHaveLength(120);
      expect(new Set(all)).toEqual(new Set(await storeOrder(store)));
      // Each retry published again what preceded the failed event in its batch: JetStream dropped it.
      expect(duplicates).toBeGreaterThanOrEqual(42);
    },
  );
});
