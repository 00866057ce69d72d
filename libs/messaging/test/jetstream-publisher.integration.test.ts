import { randomBytes } from 'node:crypto';
import { connect, DiscardPolicy, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamPublishError, JetStreamPublisher, NoRespondersError, OperationTimeoutError } from '../src';

const encoder = new TextEncoder();

describe('JetStreamPublisher: publishes acknowledged by JetStream over its own reply inbox', () => {
  const run = randomBytes(4).toString('hex');
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL, noAsyncTraces: true });
    jsm = await nc.jetstreamManager();
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) await jsm.streams.delete(stream);
  });
  afterAll(async () => {
    await nc?.drain();
  });

  /** A stream of this test alone, on a subject of its own. */
  const newStream = async (name: string, limits: { max_msgs?: number; discard?: DiscardPolicy } = {}) => {
    const stream = `PUBLISHER_TEST_${run}_${name.toUpperCase()}`;
    const subject = `publishertest.${run}.${name}`;
    await jsm.streams.add({ name: stream, subjects: [subject], ...limits });
    streams.push(stream);
    return { stream, subject };
  };

  it('resolves with the stored message’s stream and sequence; the message carries its id in the Nats-Msg-Id header', async () => {
    const { stream, subject } = await newStream('stored');
    const publisher = new JetStreamPublisher(nc);

    const acks = await Promise.all(
      ['a', 'b', 'c'].map((id) => publisher.publish(subject, encoder.encode(`data-${id}`), `id-${id}`)),
    );

    expect(acks).toEqual([
      { stream, seq: 1, duplicate: false },
      { stream, seq: 2, duplicate: false },
      { stream, seq: 3, duplicate: false },
    ]);
    const stored = await jsm.streams.getMessage(stream, { seq: 2 });
    expect(stored.header.get('Nats-Msg-Id')).toBe('id-b');
    expect(new TextDecoder().decode(stored.data)).toBe('data-b');
    publisher.close();
  });

  it('acknowledges a message id JetStream has stored already as a duplicate, and stores it no second time', async () => {
    const { stream, subject } = await newStream('duplicate');
    const publisher = new JetStreamPublisher(nc);

    const first = await publisher.publish(subject, encoder.encode('once'), 'same-id');
    const again = await publisher.publish(subject, encoder.encode('once'), 'same-id');

    expect(first).toEqual({ stream, seq: 1, duplicate: false });
    expect(again).toEqual({ stream, seq: 1, duplicate: true });
    expect((await jsm.streams.info(stream)).state.messages).toBe(1);
    publisher.close();
  });

  it('rejects with JetStreamPublishError when JetStream refuses the message (a full stream that discards new ones)', async () => {
    const { subject } = await newStream('full', { max_msgs: 1, discard: DiscardPolicy.New });
    const publisher = new JetStreamPublisher(nc);
    await publisher.publish(subject, encoder.encode('first'), 'first');

    const refused = publisher.publish(subject, encoder.encode('second'), 'second');

    await expect(refused).rejects.toBeInstanceOf(JetStreamPublishError);
    await expect(refused).rejects.toMatchObject({
      subject,
      apiError: { code: 503, err_code: 10077, description: 'maximum messages exceeded' },
    });
    publisher.close();
  });

  it('rejects at once with NoRespondersError when no stream binds the subject', async () => {
    const publisher = new JetStreamPublisher(nc);
    const subject = `publishertest.${run}.unbound`;
    const started = Date.now();

    await expect(publisher.publish(subject, encoder.encode('lost'), 'lost')).rejects.toEqual(
      new NoRespondersError(subject),
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    publisher.close();
  });

  it('rejects with OperationTimeoutError when no ack comes in time, and ignores the one that comes later', async () => {
    // A core subscriber takes the message and acks it late, as JetStream never does.
    const subject = `publishertest.${run}.slow`;
    nc.subscribe(subject, {
      callback: (_error, msg) => setTimeout(() => msg.respond(encoder.encode('{"stream":"LATE","seq":1}')), 400),
    });
    await nc.flush();
    const publisher = new JetStreamPublisher(nc, 200);

    const started = Date.now();
    await expect(publisher.publish(subject, encoder.encode('slow'), 'slow')).rejects.toBeInstanceOf(
      OperationTimeoutError,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the late ack arrives meanwhile
    const { subject: stored } = await newStream('afterlate');
    expect(await publisher.publish(stored, encoder.encode('next'), 'next')).toMatchObject({ seq: 1 });
    publisher.close();
  });

  it('fails the publishes still waiting as not acknowledged in time once closed', async () => {
    const subject = `publishertest.${run}.never`;
    nc.subscribe(subject, { callback: () => undefined }); // takes the message, never acks
    await nc.flush();
    const publisher = new JetStreamPublisher(nc, 30_000);

    const waiting = publisher.publish(subject, encoder.encode('never'), 'never');
    await nc.flush();
    publisher.close();

    await expect(waiting).rejects.toBeInstanceOf(OperationTimeoutError);
  });
});
