import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventStore,
  defineGuard,
  ExpectedVersionConflictError,
  handleCommand,
  NewStreamBatcher,
  type Decider,
  type EventStore,
} from '../src';
import { createTestSchema, uniqueName, type TestSchema } from './test-database';

type ItemEvent = { type: 'ItemStarted'; data: { refuse?: boolean } };

/** The request a submission is made for, as a service's request context would carry it. */
const request = new AsyncLocalStorage<{ name: string; deadline: number; abandoned?: boolean }>();

/** Whose context each transaction that reached the guard ran in. */
const seenBy: string[] = [];

/**
 * Refuses an item that asks to be refused, and every append made for an abandoned request (as
 * @lm/service-kit's pool turns the commit of a request past its deadline into a rollback).
 */
const refusals = defineGuard<ItemEvent>()({
  name: 'refusals',
  eventTypes: ['ItemStarted'],
  async handle(events) {
    seenBy.push(request.getStore()?.name ?? 'none');
    if (request.getStore()?.abandoned) throw new Error('abandoned');
    if (events.some((event) => event.data.refuse)) throw new Error('refused');
  },
  async truncate() {},
});

let schema: TestSchema;
let store: EventStore;
beforeAll(async () => {
  schema = await createTestSchema();
  store = await createEventStore({ kind: 'postgres', db: schema.db, schema: schema.schema, guards: [refusals] });
});
afterAll(async () => {
  await store.close();
  await schema.drop();
});

const started = (refuse = false): ItemEvent[] => [{ type: 'ItemStarted', data: refuse ? { refuse } : {} }];

/** The transaction that appended each stream's first event. */
async function transactionsOf(streams: string[]): Promise<string[]> {
  const { rows } = await sql<{ stream_name: string; transaction_id: string }>`
    select stream_name, transaction_id::text from ${sql.id(schema.schema, 'events')}
    where stream_name = any(${streams}::text[])`.execute(schema.db);
  const byStream = new Map(rows.map((row) => [row.stream_name, row.transaction_id]));
  return streams.map((stream) => byStream.get(stream) ?? 'not stored');
}

describe('NewStreamBatcher', () => {
  it('starts the streams that arrive while a batch is appended in one transaction, and the first at once', async () => {
    const batcher = new NewStreamBatcher(store);
    const streams = Array.from({ length: 6 }, () => uniqueName('item'));
    const results = await Promise.all(streams.map((stream) => batcher.append(stream, started())));
    expect(results.map((result) => result.nextExpectedVersion)).toEqual([1, 1, 1, 1, 1, 1]);
    const [first, ...waited] = await transactionsOf(streams);
    expect(new Set(waited).size).toBe(1);
    expect(waited[0]).not.toBe(first);
  });

  it('appends a failed batch again one stream at a time: a refusal reaches only its own append', async () => {
    const batcher = new NewStreamBatcher(store);
    const streams = Array.from({ length: 5 }, () => uniqueName('item'));
    const outcomes = await Promise.allSettled(streams.map((stream, i) => batcher.append(stream, started(i === 3))));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused' });
    const transactions = await transactionsOf(streams);
    expect(transactions[3]).toBe('not stored');
    // The three behind the first went alone after their batch failed: each in a transaction of its own.
    expect(new Set([transactions[1], transactions[2], transactions[4]]).size).toBe(3);
  });

  it('refuses a stream that exists already, and starts the others of its batch', async () => {
    const batcher = new NewStreamBatcher(store);
    const existing = uniqueName('item');
    await store.append(existing, started());
    const others = [uniqueName('item'), uniqueName('item')];
    const outcomes = await Promise.allSettled([
      batcher.append(uniqueName('item'), started()),
      batcher.append(others[0], started()),
      batcher.append(existing, started()),
      batcher.append(others[1], started()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedVersionConflictError);
    expect((await store.readStream(existing)).currentVersion).toBe(1);
    expect(await transactionsOf(others)).not.toContain('not stored');
  });

  it("runs a batch in its most urgent submission's context, and each again in its own when that one is abandoned", async () => {
    const batcher = new NewStreamBatcher(store, { urgency: () => request.getStore()?.deadline });
    const streams = ['first', 'relaxed', 'urgent', 'middle'].map((name) => uniqueName(name));
    const contexts = [
      { name: 'first', deadline: 1 },
      { name: 'relaxed', deadline: 300 },
      { name: 'urgent', deadline: 100, abandoned: true },
      { name: 'middle', deadline: 200 },
    ];
    seenBy.length = 0;
    const outcomes = await Promise.allSettled(
      streams.map((stream, i) => request.run(contexts[i], () => batcher.append(stream, started()))),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    // The first alone; the batch of three in the urgent one's context; then each of the three in its own.
    expect(seenBy.slice(0, 2)).toEqual(['first', 'urgent']);
    expect(seenBy.slice(2).sort()).toEqual(['middle', 'relaxed', 'urgent']);
    expect(await transactionsOf(streams)).toEqual([
      expect.any(String),
      expect.any(String),
      'not stored',
      expect.any(String),
    ]);
  });

  it('serves handleCommand: a create decided on the initial state goes in the batch', async () => {
    const batcher = new NewStreamBatcher(store);
    const item: Decider<{ refuse: boolean }, ItemEvent, { started: boolean }> = {
      initialState: () => ({ started: false }),
      evolve: () => ({ started: true }),
      decide: (command, state) => (state.started ? [] : started(command.refuse)),
    };
    const streams = [uniqueName('item'), uniqueName('item'), uniqueName('item')];
    const results = await Promise.all(
      streams.map((stream) =>
        handleCommand(store, stream, item, { refuse: false }, { assumeNewStream: true, newStreams: batcher }),
      ),
    );
    expect(results.map((result) => result.state)).toEqual([{ started: true }, { started: true }, { started: true }]);
    const transactions = await transactionsOf(streams);
    expect(transactions[1]).toBe(transactions[2]);
  });
});

describe('NewStreamBatcher on a store whose multi-stream appends are not atomic', () => {
  it('appends each stream alone, at once', async () => {
    const appended: string[] = [];
    const nonAtomic = {
      capabilities: { transactionalGuards: false, atomicMultiStreamAppends: false, lockedDecisions: false },
      append: async (streamName: string) => {
        appended.push(streamName);
        return { nextExpectedVersion: 1, position: '0' };
      },
      appendToStreams: async () => {
        throw new Error('a batch must not reach a non-atomic store');
      },
    } as unknown as EventStore;
    const batcher = new NewStreamBatcher(nonAtomic);
    await Promise.all(['a', 'b', 'c'].map((stream) => batcher.append(stream, started())));
    expect(appended).toEqual(['a', 'b', 'c']);
  });
});
