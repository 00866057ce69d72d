import type { Kysely, Transaction } from 'kysely';
import type { DomainEvent, EventStore, Projection, Recorded } from '../event-store';
import { StatementPipeline } from '../statement-pipeline';
import { eventsForProjection, projectionCheckpointName } from './projection-checkpoint';

const DEFAULT_BATCH_SIZE = 500;
/** How long to wait while readAll holds back events that `until` says exist. */
const HELD_BACK_RETRY_MS = 10;

export interface RunProjectionOptions {
  /**
   * Position to reach: the runner keeps going (waiting out transactions still in flight) until its
   * checkpoint is at or past it. Without it, the runner stops as soon as readAll has nothing more.
   */
  until?: string;
  batchSize?: number;
}

/**
 * Brings a projection up to date from its checkpoint. Each batch is applied and checkpointed in
 * one transaction that holds the checkpoint's lock, so two processes never apply the same batch
 * and a crash never leaves a batch half-applied.
 */
export async function runProjection(
  store: EventStore,
  db: Kysely<any>,
  projection: Projection,
  { until, batchSize = DEFAULT_BATCH_SIZE }: RunProjectionOptions = {},
): Promise<void> {
  const checkpoint = projectionCheckpointName(projection);
  for (;;) {
    const progress = await db.transaction().execute(async (trx) => {
      const after = await store.checkpoints.lock(checkpoint, trx);
      return applyNextBatch(store, trx, projection, after, { until, batchSize });
    });
    if (progress.kind === 'done') return;
    if (progress.kind === 'held_back') await delay(HELD_BACK_RETRY_MS);
  }
}

/**
 * Recomputes a projection from the first event, in one transaction that holds the checkpoint's
 * lock: readers keep the old view until the new one is complete, and appends that feed the
 * projection (inline or through runProjection) wait instead of interleaving with the replay.
 */
export async function rebuildProjection(
  store: EventStore,
  db: Kysely<any>,
  projection: Projection,
  { batchSize = DEFAULT_BATCH_SIZE }: Pick<RunProjectionOptions, 'batchSize'> = {},
): Promise<void> {
  const checkpoint = projectionCheckpointName(projection);
  await db.transaction().execute(async (trx) => {
    await store.checkpoints.lock(checkpoint, trx);
    // Taken under the lock: every event of an append that feeds the projection is at or before it.
    const until = await store.headPosition();
    await projection.truncate(trx);
    await store.checkpoints.reset(checkpoint, trx);
    if (until === undefined) return;
    let after: string | undefined;
    for (;;) {
      const progress = await applyNextBatch(store, trx, projection, after, { until, batchSize });
      if (progress.kind === 'done') return;
      if (progress.kind === 'held_back') await delay(HELD_BACK_RETRY_MS);
      else after = progress.position;
    }
  });
}

type BatchProgress = { kind: 'applied'; position: string } | { kind: 'held_back' } | { kind: 'done' };

async function applyNextBatch(
  store: EventStore,
  trx: Transaction<any>,
  projection: Projection,
  after: string | undefined,
  { until, batchSize }: { until?: string; batchSize: number },
): Promise<BatchProgress> {
  // Tokens of one store compare as strings in global order (see RecordedEvent.position).
  if (until !== undefined && after !== undefined && after >= until) return { kind: 'done' };
  const events = await store.readAll({ after, limit: batchSize });
  if (events.length === 0) return { kind: until === undefined ? 'done' : 'held_back' };
  const relevant = eventsForProjection(projection, events);
  if (relevant.length > 0) await applyProjection(projection, relevant, trx);
  const position = events[events.length - 1].position;
  await store.checkpoints.store(projectionCheckpointName(projection), position, trx);
  return { kind: 'applied', position };
}

/**
 * Applies events to a projection in `trx`, its pipelined statements (StatementPipeline) answered
 * before it returns: for callers that go on in the transaction, or commit it, after.
 */
export async function applyProjection<E extends DomainEvent>(
  projection: Projection<E>,
  events: Recorded<E>[],
  trx: Transaction<any>,
): Promise<void> {
  const pipeline = await StatementPipeline.of(trx);
  try {
    await projection.handle(events, trx, pipeline);
  } catch (error) {
    throw await pipeline.causeOf(error);
  }
  await pipeline.settle();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
