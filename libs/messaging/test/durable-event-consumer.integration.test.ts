import { randomBytes } from 'node:crypto';
import type { StatementPipeline } from '@lm/event-store';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { AckPolicy, connect, JSONCodec, type NatsConnection } from 'nats';
import { Pool, type PoolConfig } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DURABLE_CONSUMER_BATCHES_AHEAD,
  domainEventMessageId,
  ensureEventsStream,
  eventSubject,
  EVENTS_STREAM,
  startDurableEventConsumer,
  takesSeveralFilters,
  type DomainEventMessage,
  type DurableEventConsumerOptions,
} from '../src';

/** Omit over each member of a union (Omit over the union itself keeps only their common keys). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const codec = JSONCodec<DomainEventMessage>();

const eventually = async (condition: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

interface Applied {
  seq: number;
  stream: string;
  version: number;
  /** The transaction that applied it. */
  xid: string;
}

/**
 * The chassis's durable consumer on PostgreSQL and NATS: the events delivered while it works are
 * applied together, in one transaction with their ledger rows, in delivery order; a failing event
 * is applied alone and redelivered without holding the others back; a duplicate is applied once.
 */
describe('durable event consumer: delivered events applied in batches', () => {
  const run = randomBytes(4).toString('hex');
  const schema = `batch_test_${run}`;
  let db: Kysely<any>;
  let nc: NatsConnection;
  let test = 0;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = new Kysely<any>({
      // Pipelined, as the services' sessions are (a handler's pipelined writes are sent so there).
      dialect: new PostgresDialect({
        pool: new Pool({ connectionString: process.env.DATABASE_URL, max: 10, pipeline: true } as PoolConfig),
      }),
    });
    nc = await connect({ servers: process.env.NATS_URL });
    await ensureEventsStream(nc);
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await sql`create table ${sql.id(schema, 'applied')} (
      seq serial, consumer text, stream text, version int, xid text)`.execute(db);
    await sql`create table ${sql.id(schema, 'counters')} (stream text primary key, count int not null)`.execute(db);
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
    await nc.drain();
  });

  /**
   * A producing service (so subjects and JetStream message ids) and a durable name of the test's
   * own: each test starts from its own events.
   */
  const fresh = () => {
    test += 1;
    return { durableName: `batch-${run}-${test}`, type: `batchtest${run}t${test}` };
  };
  /** The event type is the test's service too: one string names the test's events. */
  const eventOf = (type: string, stream: string, version: number): DomainEventMessage => ({
    service: type,
    eventId: `${stream}-${version}`,
    streamName: stream,
    streamVersion: version,
    type,
    schemaVersion: 1,
    data: {},
    recordedAt: new Date().toISOString(),
  });
  const publish = async (event: DomainEventMessage, msgID = domainEventMessageId(event)) => {
    await nc.jetstream().publish(eventSubject(event.service, event.type), codec.encode(event), { msgID });
  };
  /** Records the event and the transaction applying it. */
  const record = async (durableName: string, event: DomainEventMessage, trx: Transaction<any>) => {
    await sql`insert into ${sql.id(schema, 'applied')} (consumer, stream, version, xid)
      values (${durableName}, ${event.streamName}, ${event.streamVersion}, (txid_current() % 4294967296)::text)`.execute(
      trx,
    );
  };
  const appliedBy = async (durableName: string) =>
    (
      await sql<Applied>`select seq, stream, version, xid from ${sql.id(schema, 'applied')}
        where consumer = ${durableName} order by seq`.execute(db)
    ).rows;
  /** The ledger's rows of the consumer, with the transaction that wrote each. */
  const ledgerOf = async (durableName: string) =>
    (
      await sql<{ message_id: string; xid: string }>`select message_id, xmin::text as xid
        from ${sql.id(schema, 'processed_events')} where consumer = ${durableName}`.execute(db)
    ).rows;
  const consumerInfo = async (durableName: string) =>
    (await nc.jetstreamManager()).consumers.info(EVENTS_STREAM, durableName);
  /** Delivered to the client and not acknowledged yet (waiting in the consumer's queue, or being applied). */
  const unacknowledged = async (durableName: string) => (await consumerInfo(durableName)).num_ack_pending;
  /** Every event published was delivered and acknowledged. */
  const settled = async (durableName: string) => {
    const info = await consumerInfo(durableName);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  };
  /** A consumer on the test's database and NATS, stopped after the test. */
  const consume = async (options: DistributiveOmit<DurableEventConsumerOptions, 'nc' | 'db' | 'schema'>) => {
    const consumer = await startDurableEventConsumer({ nc, db, schema, ...options });
    stops.push(() => consumer.stop());
    return consumer;
  };
  const start = (
    durableName: string,
    type: string,
    handle: (event: DomainEventMessage, trx: Transaction<any>, pipeline: StatementPipeline) => Promise<void>,
    extra: { batchSize?: number; lanes?: number; onRedelivery?: () => void } = {},
  ) => consume({ durableName, filterSubject: eventSubject(type, type), handle, ...extra });

  it('applies the events delivered while it was busy in one transaction with their ledger rows, in delivery order, at most batchSize at a time', async () => {
    const { durableName, type } = fresh();
    const events = [
      eventOf(type, 'gate', 1),
      ...Array.from({ length: 8 }, (_, i) => eventOf(type, `s${i % 3}`, Math.floor(i / 3) + 1)),
    ];
    for (const event of events) await publish(event);
    await start(
      durableName,
      type,
      async (event, trx) => {
        // The first event holds its transaction until JetStream has delivered all nine: they wait in the queue.
        if (event.streamName === 'gate') await eventually(async () => (await unacknowledged(durableName)) === 9);
        await record(durableName, event, trx);
      },
      { batchSize: 5 },
    );
    await eventually(async () => (await appliedBy(durableName)).length === 9);

    const applied = await appliedBy(durableName);
    // Delivery order (the stream's order) is the order applied.
    expect(applied.map((a) => `${a.stream}:${a.version}`)).toEqual(
      events.map((e) => `${e.streamName}:${e.streamVersion}`),
    );
    // The gate's transaction held what arrived with it; the rest were waiting when it committed:
    // they went in transactions of batchSize (5), then the remainder.
    const sizes = [...new Set(applied.map((a) => a.xid))].map((xid) => applied.filter((a) => a.xid === xid).length);
    const afterGate = sizes.slice(1);
    expect(afterGate.slice(0, -1).every((size) => size === 5)).toBe(true);
    expect(sizes.reduce((a, b) => a + b)).toBe(9);
    expect(Math.max(...sizes)).toBe(5);
    // Each event's ledger row was written by the transaction that applied it.
    const ledger = new Map((await ledgerOf(durableName)).map((row) => [row.message_id, row.xid]));
    for (const [i, event] of events.entries()) expect(ledger.get(domainEventMessageId(event))).toBe(applied[i].xid);
  });

  it('with lanes, applies events of different streams at once, up to the lanes, and those of one stream one after the other in order', async () => {
    const { durableName, type } = fresh();
    // Five streams of four events each, published stream after stream.
    const events = Array.from({ length: 5 }, (_, s) =>
      Array.from({ length: 4 }, (_, v) => eventOf(type, `s${s}`, v + 1)),
    ).flat();
    for (const event of events) await publish(event);
    let running = 0;
    let mostAtOnce = 0;
    const runningOf = new Map<string, number>();
    let oneStreamAtOnce = false;
    await start(
      durableName,
      type,
      async (event, trx) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        runningOf.set(event.streamName, (runningOf.get(event.streamName) ?? 0) + 1);
        oneStreamAtOnce ||= runningOf.get(event.streamName)! > 1;
        // Long enough that the events delivered meanwhile find the lanes busy.
        await new Promise((resolve) => setTimeout(resolve, 30));
        await record(durableName, event, trx);
        runningOf.set(event.streamName, runningOf.get(event.streamName)! - 1);
        running -= 1;
      },
      { batchSize: 1, lanes: 3 },
    );
    await eventually(async () => (await appliedBy(durableName)).length === 20);
    await eventually(() => settled(durableName));

    expect(mostAtOnce).toBe(3);
    expect(oneStreamAtOnce).toBe(false);
    const applied = await appliedBy(durableName);
    for (let s = 0; s < 5; s++)
      expect(applied.filter((a) => a.stream === `s${s}`).map((a) => a.version)).toEqual([1, 2, 3, 4]);
    // Each in a transaction of its own.
    expect(new Set(applied.map((a) => a.xid)).size).toBe(20);
  });

  it('has JetStream deliver at most DURABLE_CONSUMER_BATCHES_AHEAD batches of events ahead of the one being applied, however far behind it is, a consumer created before this bound included', async () => {
    const { durableName, type } = fresh();
    // As an earlier version created it: JetStream's default max_ack_pending (1,000).
    await (
      await nc.jetstreamManager()
    ).consumers.add(EVENTS_STREAM, {
      durable_name: durableName,
      ack_policy: AckPolicy.Explicit,
      filter_subject: eventSubject(type, type),
    });
    const batchSize = 5;
    const limit = batchSize * DURABLE_CONSUMER_BATCHES_AHEAD;
    const events = Array.from({ length: limit * 3 }, (_, i) => eventOf(type, 'backlog', i + 1));
    await Promise.all(events.map((event) => publish(event)));
    let open = false;
    await start(
      durableName,
      type,
      async (event, trx) => {
        // The first batch waits until the test has seen how much was delivered behind it.
        await eventually(async () => open);
        await record(durableName, event, trx);
      },
      { batchSize },
    );
    await eventually(async () => (await unacknowledged(durableName)) === limit);
    // Longer than the client takes to pull more: the rest stays on the server.
    await new Promise((r) => setTimeout(r, 500));
    const held = await consumerInfo(durableName);
    expect(held.num_ack_pending).toBe(limit);
    expect(held.num_pending).toBe(events.length - limit);

    open = true;
    await eventually(() => settled(durableName));
    expect((await appliedBy(durableName)).map((a) => a.version)).toEqual(events.map((e) => e.streamVersion));
  });

  it('applies the others of a batch when one event fails, and the failed one when it is redelivered', async () => {
    const { durableName, type } = fresh();
    const events = ['a', 'b', 'c', 'd'].map((stream) => eventOf(type, stream, 1));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // 'b' fails in the batch's transaction and again alone, after writing (the rollbacks undo the
    // writes, the others' stay), and goes through when redelivered.
    let failuresLeft = 2;
    let redeliveries = 0;
    for (const event of [eventOf(type, 'gate', 1), ...events]) await publish(event);
    await start(
      durableName,
      type,
      async (event, trx) => {
        if (event.streamName === 'gate') await eventually(async () => (await unacknowledged(durableName)) === 5);
        await record(durableName, event, trx);
        if (event.streamName === 'b' && failuresLeft-- > 0) throw new Error('transient failure');
      },
      { onRedelivery: () => redeliveries++ },
    );
    await eventually(async () => (await appliedBy(durableName)).length === 5);

    const applied = await appliedBy(durableName);
    // a, c and d did not wait for b's redelivery (a second later): b came last.
    expect(applied.map((a) => a.stream)).toEqual(['gate', 'a', 'c', 'd', 'b']);
    // Each applied once, and recorded once in the ledger.
    expect(new Set((await ledgerOf(durableName)).map((row) => row.message_id)).size).toBe(5);
    expect(redeliveries).toBe(1);
    expect(warnings).toHaveBeenCalledWith(expect.stringMatching(/a batch of \d+ events failed \(transient failure\)/));
    expect(errors).toHaveBeenCalledWith(`[${durableName}] event ${type} failed, redelivering: transient failure`);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it("sends a handler's pipelined writes with the commit, and a write that fails fails its event with its own error", async () => {
    const { durableName, type } = fresh();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    // 'b' sends a write the server refuses (a null count), in the batch and again alone.
    let failuresLeft = 2;
    for (const event of [eventOf(type, 'gate', 1), ...['a', 'b', 'c'].map((stream) => eventOf(type, stream, 1))])
      await publish(event);
    await start(durableName, type, async (event, trx, pipeline) => {
      if (event.streamName === 'gate') await eventually(async () => (await unacknowledged(durableName)) === 4);
      pipeline.send(
        sql`insert into ${sql.id(schema, 'applied')} (consumer, stream, version, xid)
          values (${durableName}, ${event.streamName}, ${event.streamVersion}, (txid_current() % 4294967296)::text)`.compile(
          trx,
        ),
      );
      if (event.streamName === 'b' && failuresLeft-- > 0)
        pipeline.send(sql`insert into ${sql.id(schema, 'counters')} values (${durableName}, null)`.compile(trx));
    });
    await eventually(async () => (await appliedBy(durableName)).length === 4);

    expect((await appliedBy(durableName)).map((a) => a.stream)).toEqual(['gate', 'a', 'c', 'b']);
    expect(new Set((await ledgerOf(durableName)).map((row) => row.message_id)).size).toBe(4);
    expect(errors).toHaveBeenCalledWith(
      expect.stringMatching(/event \S+ failed, redelivering: null value in column "count"/),
    );
  });

  it('applies an event once when it comes again, in the same batch or a later one', async () => {
    const { durableName, type } = fresh();
    const first = eventOf(type, 'x', 1);
    const second = eventOf(type, 'x', 2);
    for (const [event, msgID] of [
      [eventOf(type, 'gate', 1), undefined],
      [first, undefined],
      // A duplicate publish under another JetStream message id (the server cannot drop it).
      [first, `${type}:again-1`],
      [second, undefined],
      [first, `${type}:again-2`],
    ] as const)
      await publish(event, msgID);
    await start(durableName, type, async (event, trx) => {
      if (event.streamName === 'gate') await eventually(async () => (await unacknowledged(durableName)) === 5);
      await record(durableName, event, trx);
    });
    await eventually(() => settled(durableName));
    // And once more after the others were acknowledged.
    await publish(first, `${type}:again-3`);
    await eventually(() => settled(durableName));

    expect((await appliedBy(durableName)).map((a) => `${a.stream}:${a.version}`)).toEqual(['gate:1', 'x:1', 'x:2']);
  });

  it('acknowledges the event types it does not apply as they arrive, with no transaction and no ledger row', async () => {
    const { durableName, type: service } = fresh();
    const ofType = (type: string, version: number) => ({ ...eventOf(service, 'mixed', version), type });
    const events = [ofType('Wanted', 1), ofType('Skipped', 2), ofType('Skipped', 3), ofType('Wanted', 4)];
    for (const event of events) await publish(event);
    const handled: string[] = [];
    await consume({
      durableName,
      filterSubject: eventSubject(service, '>'),
      eventTypes: ['Wanted'],
      handle: async (event, trx) => {
        handled.push(event.type);
        await record(durableName, event, trx);
      },
    });
    await eventually(() => settled(durableName));

    expect(handled).toEqual(['Wanted', 'Wanted']);
    expect((await appliedBy(durableName)).map((a) => a.version)).toEqual([1, 4]);
    expect((await ledgerOf(durableName)).map((row) => row.message_id).sort()).toEqual(
      [events[0], events[3]].map(domainEventMessageId).sort(),
    );
  });

  it('on NATS 2.10 and later, has JetStream deliver only the types its appliers take, a consumer created with the whole subject included; on 2.9, every event', async () => {
    const { durableName, type: service } = fresh();
    // As an earlier version (or a 2.9 server) created it: the service's every event.
    await (
      await nc.jetstreamManager()
    ).consumers.add(EVENTS_STREAM, {
      durable_name: durableName,
      ack_policy: AckPolicy.Explicit,
      filter_subject: eventSubject(service, '>'),
    });
    const ofType = (type: string, version: number) => ({ ...eventOf(service, 'filtered', version), type });
    const types = ['Wanted', 'Skipped', 'AlsoWanted', 'Wanted', 'Other'];
    for (const [i, type] of types.entries()) await publish(ofType(type, i + 1));
    const handled: number[] = [];
    await consume({
      durableName,
      filterSubject: eventSubject(service, '>'),
      eventTypes: ['Wanted', 'AlsoWanted'],
      handle: async (event) => void handled.push(event.streamVersion),
    });
    await eventually(() => settled(durableName));

    expect(handled).toEqual([1, 3, 4]);
    const { config, delivered } = await consumerInfo(durableName);
    if (takesSeveralFilters(nc.info?.version)) {
      expect(config.filter_subjects).toEqual([eventSubject(service, 'AlsoWanted'), eventSubject(service, 'Wanted')]);
      expect(config.filter_subject ?? '').toBe('');
      expect(delivered.consumer_seq).toBe(3);
    } else {
      expect(config.filter_subject).toBe(eventSubject(service, '>'));
      expect(delivered.consumer_seq).toBe(5);
    }
  });

  it('applies each event to every applier sharing the consumer that takes its type, in one transaction with their ledger rows, and acknowledges one none takes without', async () => {
    const { durableName, type: service } = fresh();
    const ofType = (type: string, version: number) => ({ ...eventOf(service, 'shared', version), type });
    const events = [ofType('Both', 1), ofType('Nobody', 2), ofType('OnlyB', 3), ofType('Both', 4)];
    for (const event of events) await publish(event);
    const [a, b] = [`${durableName}-a`, `${durableName}-b`];
    const applier = (ledgerName: string, eventTypes: string[]) => ({
      ledgerName,
      eventTypes,
      handle: (event: DomainEventMessage, trx: Transaction<any>) => record(ledgerName, event, trx),
    });
    await consume({
      durableName,
      filterSubject: eventSubject(service, '>'),
      appliers: [applier(a, ['Both']), applier(b, ['Both', 'OnlyB'])],
    });
    await eventually(() => settled(durableName));

    expect((await appliedBy(a)).map((row) => row.version)).toEqual([1, 4]);
    expect((await appliedBy(b)).map((row) => row.version)).toEqual([1, 3, 4]);
    // Each event in one transaction for both appliers (the first came alone or with others: never apart).
    const xidOf = async (name: string, version: number) =>
      (await appliedBy(name)).find((row) => row.version === version)!.xid;
    expect(await xidOf(a, 1)).toBe(await xidOf(b, 1));
    expect(await xidOf(a, 4)).toBe(await xidOf(b, 4));
    const ledgerIds = async (name: string) => (await ledgerOf(name)).map((row) => row.message_id).sort();
    expect(await ledgerIds(a)).toEqual([events[0], events[3]].map(domainEventMessageId).sort());
    expect(await ledgerIds(b)).toEqual([events[0], events[2], events[3]].map(domainEventMessageId).sort());
    expect(await ledgerIds(durableName)).toEqual([]);
  });

  it('takes over from the consumers it replaces where the one furthest behind had got to, applying nothing twice and missing nothing, and removes them', async () => {
    const { durableName, type } = fresh();
    const [ahead, behind] = [`${durableName}-ahead`, `${durableName}-behind`];
    const events = [1, 2, 3, 4, 5].map((version) => eventOf(type, 'taken-over', version));
    const recording = (ledgerName: string) => ({
      ledgerName,
      handle: (event: DomainEventMessage, trx: Transaction<any>) => record(ledgerName, event, trx),
    });
    // Before: a consumer of its own for each handler, one through event 4, the other through event 2.
    for (const event of events.slice(0, 2)) await publish(event);
    const old = await Promise.all(
      [ahead, behind].map((name) =>
        startDurableEventConsumer({
          nc,
          db,
          schema,
          durableName: name,
          filterSubject: eventSubject(type, type),
          handle: recording(name).handle,
        }),
      ),
    );
    await eventually(async () => (await settled(ahead)) && (await settled(behind)));
    await old[1].stop();
    for (const event of events.slice(2, 4)) await publish(event);
    await eventually(() => settled(ahead));
    await old[0].stop();
    await publish(events[4]);
    expect((await consumerInfo(behind)).ack_floor.stream_seq).toBeLessThan(
      (await consumerInfo(ahead)).ack_floor.stream_seq,
    );

    await consume({
      durableName,
      filterSubject: eventSubject(type, type),
      appliers: [recording(ahead), recording(behind)],
    });
    await eventually(() => settled(durableName));

    expect((await appliedBy(ahead)).map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
    expect((await appliedBy(behind)).map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
    // It started at event 3, the first the one behind had not acknowledged, not at the stream's start.
    expect((await consumerInfo(durableName)).delivered.consumer_seq).toBe(3);
    await expect(consumerInfo(ahead)).rejects.toThrow();
    await expect(consumerInfo(behind)).rejects.toThrow();
  });

  it("hands a handler with handleBatch the batch's events not applied before, in one call", async () => {
    const { durableName, type } = fresh();
    const events = ['gate', 'm', 'n'].map((stream) => eventOf(type, stream, 1));
    const calls: string[][] = [];
    for (const event of events) await publish(event);
    await publish(events[1], `${type}:again`);
    await consume({
      durableName,
      filterSubject: eventSubject(type, type),
      handleBatch: async (batch) => {
        if (batch.some((event) => event.streamName === 'gate'))
          await eventually(async () => (await unacknowledged(durableName)) === 4);
        calls.push(batch.map((event) => event.streamName));
      },
    });
    await eventually(() => settled(durableName));

    expect(calls.flat()).toEqual(['gate', 'm', 'n']);
    // The gate's batch aside, the events delivered while it ran came in one call.
    expect(calls[calls.length - 1]).toContain('n');
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it('lets two replicas apply batches of events on the same rows, in any order, without waiting for each other forever', async () => {
    const { durableName, type } = fresh();
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const streams = ['p', 'q', 'r', 's'];
    await sql`insert into ${sql.id(schema, 'counters')} (stream, count)
      select unnest(${streams}::text[]), 0`.execute(db);
    // Each event locks its stream's row until its transaction commits: in a batch, one row after another.
    const countEvent = async (event: DomainEventMessage, trx: Transaction<any>) => {
      await sql`select count from ${sql.id(schema, 'counters')} where stream = ${event.streamName} for update`.execute(
        trx,
      );
      await sql`update ${sql.id(schema, 'counters')} set count = count + 1 where stream = ${event.streamName}`.execute(
        trx,
      );
    };
    await start(durableName, type, countEvent);
    await start(durableName, type, countEvent);
    // Consecutive events on different rows, in a rotating order, so that the replicas' batches cross.
    const versions = new Map(streams.map((s) => [s, 0]));
    const published = Array.from({ length: 240 }, (_, i) => {
      const stream = streams[(i * 3 + Math.floor(i / 4)) % streams.length];
      versions.set(stream, versions.get(stream)! + 1);
      return eventOf(type, stream, versions.get(stream)!);
    });
    await Promise.all(published.map((event) => publish(event)));
    await eventually(async () => (await ledgerOf(durableName)).length === published.length, 30_000);

    const counts = (
      await sql<{ stream: string; count: number }>`select stream, count from ${sql.id(schema, 'counters')}
        order by stream`.execute(db)
    ).rows;
    expect(counts).toEqual(streams.map((stream) => ({ stream, count: versions.get(stream) })));
    // No batch was refused (a deadlock would be one): every transaction went through the first time.
    expect(warnings).not.toHaveBeenCalled();
  });
});
