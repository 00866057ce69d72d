import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactJSONCodec } from '../src/exact-json-codec';
import { NoRespondersError, OperationClient, OperationTimeoutError } from '../src';

const codec = ExactJSONCodec<{ pattern: string; data: { input: { n: number }; deadline: number }; id: string }>();
const caller = { accountId: '111122223333', principalArn: 'arn:aws:iam::111122223333:root', accessKeyId: 'AKIA' };

describe('OperationClient: requests over its own reply subscription', () => {
  const subject = (name: string) => `test.operation-client.${randomBytes(4).toString('hex')}.${name}`;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL, noAsyncTraces: true });
  });
  afterAll(async () => {
    await nc?.close();
  });

  /** A responder answering each request, after `delayMs(n)`, with Nest's reply packet `reply(n)`. */
  function respond(on: string, reply: (n: number) => unknown, delayMs: (n: number) => number = () => 0) {
    nc.subscribe(on, {
      callback: (_error, msg) => {
        const { data, id } = codec.decode(msg.data);
        setTimeout(
          () => msg.respond(ExactJSONCodec().encode({ id, ...(reply(data.input.n) as object) })),
          delayMs(data.input.n),
        );
      },
    });
  }

  it('answers each of many concurrent calls with its own reply, whatever order they come back in', async () => {
    const on = subject('Echo');
    respond(
      on,
      (n) => ({ response: { doubled: n * 2, big: 9007199254740993n } }),
      (n) => (n % 5) * 3,
    );
    await nc.flush();
    const client = new OperationClient(nc, 5_000);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, n) => client.call(on, { requestId: `r${n}`, caller, input: { n } })),
    );
    expect(replies).toEqual(
      Array.from({ length: 50 }, (_, n) => ({ ok: true, output: { doubled: n * 2, big: 9007199254740993n } })),
    );
  });

  it("answers a service's error as the operation's error, and a bare one as an internal failure", async () => {
    const on = subject('Fails');
    respond(on, (n) => ({ err: n === 0 ? { name: 'ValidationException', message: 'no', fields: { a: 1 } } : 'boom' }));
    await nc.flush();
    const client = new OperationClient(nc, 5_000);
    expect(await client.call(on, { requestId: 'r', caller, input: { n: 0 } })).toEqual({
      ok: false,
      error: { name: 'ValidationException', message: 'no', fields: { a: 1 } },
    });
    expect(await client.call(on, { requestId: 'r', caller, input: { n: 1 } })).toEqual({
      ok: false,
      error: { name: 'ServerInternalException', message: 'The service failed to process the request.' },
    });
  });

  it('fails at once with NoRespondersError when nothing serves the subject', async () => {
    const client = new OperationClient(nc, 5_000);
    const started = Date.now();
    const on = subject('Nobody');
    await expect(client.call(on, { requestId: 'r', caller, input: {} })).rejects.toEqual(new NoRespondersError(on));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails with OperationTimeoutError after its timeout, and ignores the reply that comes later', async () => {
    const on = subject('Slow');
    respond(
      on,
      (n) => ({ response: { n } }),
      (n) => (n === 0 ? 600 : 0),
    );
    await nc.flush();
    const client = new OperationClient(nc, 300);
    const started = Date.now();
    await expect(client.call(on, { requestId: 'r', caller, input: { n: 0 } })).rejects.toBeInstanceOf(
      OperationTimeoutError,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the late reply arrives meanwhile
    expect(await client.call(on, { requestId: 'r', caller, input: { n: 1 } })).toEqual({ ok: true, output: { n: 1 } });
  });

  it('fails the calls still waiting as timed out when its connection closes, and later ones as nats.js refuses them', async () => {
    const own = await connect({ servers: process.env.NATS_URL, noAsyncTraces: true });
    const on = subject('Never');
    nc.subscribe(on, { callback: () => undefined }); // served, never answered
    await nc.flush();
    const client = new OperationClient(own, 30_000);
    const waiting = client.call(on, { requestId: 'r', caller, input: { n: 0 } });
    await own.flush();
    await own.close();
    await expect(waiting).rejects.toBeInstanceOf(OperationTimeoutError);
    await expect(client.call(on, { requestId: 'r', caller, input: { n: 0 } })).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
    });
  });
});
