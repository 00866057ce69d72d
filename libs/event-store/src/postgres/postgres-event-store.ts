import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { stringifyExactJson } from '@lm/contracts';
import { assertAppendable } from '../append-validation';
import { EventSchemas, type Upcasters } from '../event-schemas';
import { EVENT_STORE_CAPABILITIES } from '../event-store-kinds';
import {
  ExpectedVersionConflictError,
  type AppendResult,
  type DomainEvent,
  type EventStore,
  type EventStoreCapabilities,
  type ExpectedVersion,
  type Guard,
  type LockedRead,
  type NewEvent,
  type Projection,
  type ReadStreamResult,
  type Recorded,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
  type TypedReadOptions,
  type TypedReadPage,
  type UntypedEvent,
} from '../event-store';
import { consoleLogger, type EventStoreLogger } from '../logger';
import { SubscriptionRegistry } from '../polling-subscription';
import { decodePositionToken } from '../position-token';
import { eventsForProjection, projectionCheckpointName } from '../projections/projection-checkpoint';
import { EVENT_COLUMNS, positionOfRow, recordedEventFromRow, type EventRow } from './event-row';
import {
  assertSchemaName,
  checkpointLockKey,
  LOCK_AND_READ_FUNCTION,
  STREAM_VERSION_CONSTRAINT,
  streamLockKey,
} from './event-store-schema';
import { PostgresCheckpointStore } from './postgres-checkpoint-store';
import { precompiled } from './precompiled-query';
import { inPipelinedTransaction, type StatementPipeline } from '../statement-pipeline';

const DEFAULT_READ_ALL_LIMIT = 1000;
/** Locked decisions' streams whose projections are remembered at most (see decideUnderLock). */
const MAX_LAST_FED = 10_000;

/**
 * The values of an append's statement (appendRows), as arrays: by stream, its name, its count of
 * events and its expected version (ANY_VERSION for any, 0 for a new stream); by event, its
 * stream, its place in its stream's events (from 1) and its columns.
 */
interface AppendedRows extends Record<string, unknown> {
  streamNames: string[];
  counts: number[];
  expectedVersions: number[];
  eventStreams: string[];
  ordinals: number[];
  eventIds: string[];
  types: string[];
  data: string[];
  metadata: string[];
}

/** An append's expected version `any`, in the statement's expected versions. */
const ANY_VERSION = -1;
/**
 * Events of any type one readAllOfTypes looks through at most: a subscription far behind a long
 * run of events it does not want moves its checkpoint in steps of this, instead of one statement
 * scanning the whole run.
 */
const TYPED_READ_SCAN_LIMIT = 5000;

export interface PostgresEventStoreOptions {
  /** Owned by the caller: close() leaves it open. */
  db: Kysely<any>;
  /** The service's schema, prepared by migrateEventStoreSchema. */
  schema: string;
  /** Applied inside each append's transaction: views are atomic with, and as fresh as, the events. */
  projections?: Projection[];
  /** Run inside each append's transaction, before the projections: one that throws rolls the append back. */
  guards?: Guard[];
  /** By event type: bring the data of events recorded at older schema versions to the current shape. */
  upcasters?: Upcasters;
  logger?: EventStoreLogger;
}

/** Event store on PostgreSQL tables (see migrateEventStoreSchema). */
export class PostgresEventStore implements EventStore {
  readonly capabilities: EventStoreCapabilities = EVENT_STORE_CAPABILITIES.postgres;
  readonly checkpoints: PostgresCheckpointStore;
  private readonly db: Kysely<any>;
  private readonly schema: string;
  /** Guards first: a refused append does no projection work. */
  private readonly inline: Projection[];
  private readonly schemas: EventSchemas;
  private readonly logger: EventStoreLogger;
  private readonly subscriptions = new SubscriptionRegistry();
  /** By the streams of a locked decision: the guards and projections its last append fed (see decideUnderLock). */
  private readonly lastFed = new Map<string, Projection[]>();

  // The statements of appends and reads, compiled once (precompiled-query.ts).
  private readonly streamEvents = precompiled((db: Kysely<any>, p: { streamName: string; afterVersion: number }) =>
    this.events(db)
      .where('stream_name', '=', p.streamName)
      .where('stream_version', '>', p.afterVersion)
      .orderBy('stream_version'),
  );
  private readonly firstEvents = precompiled((db: Kysely<any>, p: { limit: number }) =>
    this.eventsInCommitOrder(db).limit(p.limit),
  );
  private readonly eventsAfter = precompiled(
    (db: Kysely<any>, p: { transactionId: string; globalPosition: string; limit: number }) =>
      this.eventsInCommitOrder(db)
        .where(
          sql<boolean>`(transaction_id, global_position) > (${p.transactionId}::xid8, ${p.globalPosition}::bigint)`,
        )
        .limit(p.limit),
  );
  /**
   * Claims the versions of every stream of an append and inserts their events, in one statement.
   * Each claim is a single conditional write of the stream's row, taken in the order of the
   * streams' names (so that two appends sharing streams cannot deadlock): a new stream's row is
   * inserted with its count; an existing one is moved on by its count when its version is the one
   * expected (any, for ANY_VERSION), and left alone otherwise. A concurrent writer of the same
   * stream waits on the row and then sees the version the first one wrote, so exactly one of them
   * wins; writers of other streams touch other rows and never wait. Each stream's events are
   * numbered from the version it claimed. A stream not claimed (moved on by another writer, or
   * existing when a new one was expected) has no events returned, and one expected at a version
   * but missing was inserted at the wrong version: appendRows finds both in what comes back and
   * throws, which rolls the transaction back.
   */
  private readonly appendStatement = precompiled(
    (db: Kysely<any>, p: AppendedRows) => sql<EventRow>`
      WITH expected AS (
        SELECT * FROM unnest(${p.streamNames}::text[], ${p.counts}::bigint[], ${p.expectedVersions}::bigint[])
          AS x(stream_name, count, version)
      ), claimed AS (
        INSERT INTO ${sql.id(this.schema, 'streams')} AS s (stream_name, version)
        SELECT stream_name, count FROM expected ORDER BY stream_name
        ON CONFLICT (stream_name) DO UPDATE SET version = s.version + excluded.version
          WHERE (SELECT x.version FROM expected x WHERE x.stream_name = excluded.stream_name) IN (${ANY_VERSION}, s.version)
        RETURNING s.stream_name, s.version
      )
      INSERT INTO ${sql.id(this.schema, 'events')} (stream_name, stream_version, event_id, type, data, metadata)
      SELECT e.stream_name, claimed.version - x.count + e.ord, e.event_id, e.type, e.data, e.metadata
      FROM unnest(${p.eventStreams}::text[], ${p.ordinals}::bigint[], ${p.eventIds}::uuid[], ${p.types}::text[],
                  ${p.data}::jsonb[], ${p.metadata}::jsonb[]) AS e(stream_name, ord, event_id, type, data, metadata)
        JOIN claimed ON claimed.stream_name = e.stream_name
        JOIN expected x ON x.stream_name = e.stream_name
      ORDER BY e.stream_name, e.ord
      RETURNING ${sql.join(EVENT_COLUMNS.map((column) => sql.ref(column)))}`,
  );

  constructor(options: PostgresEventStoreOptions) {
    assertSchemaName(options.schema);
    this.db = options.db;
    this.schema = options.schema;
    this.inline = [...(options.guards ?? []), ...(options.projections ?? [])];
    this.schemas = new EventSchemas(options.upcasters);
    this.logger = options.logger ?? consoleLogger;
    this.checkpoints = new PostgresCheckpointStore(this.db, this.schema);
  }

  async append(
    streamName: string,
    events: NewEvent[],
    { expectedVersion = 'any' }: { expectedVersion?: ExpectedVersion } = {},
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamName, events, expectedVersion }]);
    return result;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results = await this.appendingTransaction((append) => append(appends));
    return appends.map(({ streamName }) => results.get(streamName)!);
  }

  /**
   * One statement locks the streams and reads them (LOCK_AND_READ_FUNCTION: the read's snapshot
   * is taken once the locks are held), with no parameters, so that it travels with the
   * transaction's `begin`, and before anything gives the transaction an id (see appendIn). It also
   * takes the shared locks of the projections the last decision on these streams fed, which the
   * append would otherwise take in a statement of its own (a decision that feeds others takes theirs then).
   */
  async decideUnderLock(
    reads: LockedRead[],
    decide: (read: ReadonlyMap<string, ReadStreamResult>) => StreamAppend[],
  ): Promise<AppendResult[]> {
    const streams = reads.map(({ streamName }) => streamName).join('\n');
    const shared = this.lastFed.get(streams) ?? [];
    let appends: StreamAppend[] = [];
    const results = await this.appendingTransaction(async (append, trx) => {
      appends = decide(await this.lockAndRead(trx, reads, shared));
      return appends.length > 0 ? append(appends, shared) : new Map();
    });
    if (appends.length > 0) {
      // Map order is recency: the least recently decided streams are the first to be forgotten.
      this.lastFed.delete(streams);
      this.lastFed.set(streams, this.projectionsFed(appends));
      if (this.lastFed.size > MAX_LAST_FED) this.lastFed.delete(this.lastFed.keys().next().value!);
    }
    return appends.map(({ streamName }) => results.get(streamName)!);
  }

  async readStream<E extends DomainEvent = UntypedEvent>(
    streamName: string,
    { afterVersion = 0 }: { afterVersion?: number } = {},
  ): Promise<ReadStreamResult<E>> {
    const { rows } = await this.streamEvents(this.db, { streamName, afterVersion });
    const events = this.schemas.upcast<E>(rows.map(recordedEventFromRow));
    return { currentVersion: events.length === 0 ? afterVersion : events[events.length - 1].streamVersion, events };
  }

  /**
   * Orders by (transaction_id, global_position) and returns only rows of transactions older than
   * every transaction still in flight (the snapshot's xmin). A transaction that drew a lower
   * global_position but commits late therefore never slips behind a reader's position: until it
   * ends, nothing ordered after it is returned. An append acknowledged before another one started
   * has the lower transaction id, so real-time order is kept. The price: a long-running
   * transaction anywhere on the server holds readers back until it ends.
   */
  async readAll<E extends DomainEvent = UntypedEvent>({
    after,
    limit = DEFAULT_READ_ALL_LIMIT,
  }: { after?: string; limit?: number } = {}): Promise<Recorded<E>[]> {
    let rows: EventRow[];
    if (after === undefined) ({ rows } = await this.firstEvents(this.db, { limit }));
    else {
      const [transactionId, globalPosition] = decodePositionToken(after);
      ({ rows } = await this.eventsAfter(this.db, {
        transactionId: String(transactionId),
        globalPosition: String(globalPosition),
        limit,
      }));
    }
    return this.schemas.upcast<E>(rows.map(recordedEventFromRow));
  }

  /**
   * One statement, so that one snapshot (readAll's horizon) bounds both what is returned and how
   * far the read says it looked: it looks through the next events of any type below the horizon
   * (only their positions and types), picks those of `types`, and joins back for their rows. The
   * stretch looked through ends at the last event picked when the page is full (later events of
   * `types` may follow), else at the last event looked at.
   */
  async readAllOfTypes<E extends DomainEvent = UntypedEvent>({
    types,
    after,
    limit = DEFAULT_READ_ALL_LIMIT,
  }: TypedReadOptions<E>): Promise<TypedReadPage<E>> {
    const events = sql.id(this.schema, 'events');
    let afterPosition = sql``;
    if (after !== undefined) {
      const [transactionId, globalPosition] = decodePositionToken(after);
      afterPosition = sql`AND (transaction_id, global_position) > (${String(transactionId)}::xid8, ${String(globalPosition)}::bigint)`;
    }
    const scanLimit = Math.max(limit, TYPED_READ_SCAN_LIMIT);
    const { rows } = await sql<
      EventRow & { scanned_transaction_id: string; scanned_global_position: string; scanned_count: string }
    >`
      WITH scanned AS (
        SELECT transaction_id, global_position, type FROM ${events}
        WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ${afterPosition}
        ORDER BY transaction_id, global_position
        LIMIT ${scanLimit}
      ), last_scanned AS (
        SELECT transaction_id, global_position, count(*) OVER () AS scanned_count FROM scanned
        ORDER BY transaction_id DESC, global_position DESC
        LIMIT 1
      ), picked AS (
        SELECT e.* FROM (
          SELECT global_position FROM scanned WHERE type = ANY(${types}::text[])
          ORDER BY transaction_id, global_position
          LIMIT ${limit}
        ) p JOIN ${events} e USING (global_position)
      )
      SELECT l.transaction_id AS scanned_transaction_id, l.global_position AS scanned_global_position, l.scanned_count,
             ${sql.join(EVENT_COLUMNS.map((column) => sql.ref(`picked.${column}`)))}
      FROM last_scanned l LEFT JOIN picked ON true
      ORDER BY picked.transaction_id, picked.global_position`.execute(this.db);
    if (rows.length === 0) return { events: [], reachedEnd: true };
    const picked = rows.filter((row) => row.event_id !== null);
    const recorded = this.schemas.upcast<E>(picked.map(recordedEventFromRow));
    const readThrough =
      recorded.length === limit
        ? recorded[recorded.length - 1].position
        : positionOfRow({
            transaction_id: rows[0].scanned_transaction_id,
            global_position: rows[0].scanned_global_position,
          });
    return {
      events: recorded,
      readThrough,
      reachedEnd: recorded.length < limit && Number(rows[0].scanned_count) < scanLimit,
    };
  }

  async headPosition(): Promise<string | undefined> {
    const row = await this.db
      .withSchema(this.schema)
      .selectFrom('events')
      .select(['transaction_id', 'global_position'])
      .orderBy('transaction_id', 'desc')
      .orderBy('global_position', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && positionOfRow(row);
  }

  subscribe<E extends DomainEvent = UntypedEvent>(options: SubscribeOptions<E>): Subscription {
    return this.subscriptions.start(this, options, this.logger);
  }

  onAppended(listener: (types: ReadonlySet<string>) => void): () => void {
    return this.subscriptions.onAppended(listener);
  }

  wakeSubscriptions(types: ReadonlySet<string>): void {
    this.subscriptions.wakeAll(types);
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
  }

  /**
   * Runs `work` in a transaction, giving it `append` (appendIn, in that transaction): a stream
   * version violation is reported as the conflict it is, and once the transaction has committed
   * this process's subscriptions to the appended types are woken. What appendIn sends without
   * waiting (the projections' shared locks, their writes) goes out with the statement after it,
   * the last of it with the commit (inPipelinedTransaction).
   */
  private async appendingTransaction(
    work: (
      append: (appends: StreamAppend[], shared?: readonly Projection[]) => Promise<Map<string, AppendResult>>,
      trx: Transaction<any>,
    ) => Promise<Map<string, AppendResult>>,
  ): Promise<Map<string, AppendResult>> {
    let appended: StreamAppend[] = [];
    let results: Map<string, AppendResult>;
    try {
      results = await inPipelinedTransaction(this.db, (trx, pipeline) =>
        work((appends, shared) => {
          appended = appends;
          return this.appendIn(trx, pipeline, appends, shared);
        }, trx),
      );
    } catch (error) {
      // Only reachable when a writer bypassed the streams row; the streams row normally reports conflicts.
      if (this.isStreamVersionViolation(error)) {
        const [{ streamName, expectedVersion = 'any' }] = [...appended].sort(byStreamName);
        throw new ExpectedVersionConflictError(
          streamName,
          expectedVersion,
          await this.currentVersion(this.db, streamName),
        );
      }
      throw error;
    }
    if (appended.length > 0)
      this.subscriptions.appended(new Set(appended.flatMap(({ events }) => events.map((event) => event.type))));
    return results;
  }

  /**
   * Appends in `trx`, with the guards and inline projections of the appended types (`shared`: those
   * whose shared locks the transaction holds already).
   */
  private async appendIn(
    trx: Transaction<any>,
    pipeline: StatementPipeline,
    appends: StreamAppend[],
    shared: readonly Projection[] = [],
  ): Promise<Map<string, AppendResult>> {
    for (const { streamName, events, expectedVersion = 'any' } of appends)
      assertAppendable(streamName, events, expectedVersion);
    const projections = this.projectionsFed(appends);
    // First, before the transaction takes an id: a rebuild holding the lock must never wait for us.
    this.shareProjectionLocks(
      trx,
      pipeline,
      projections.filter((projection) => !shared.includes(projection)),
    );
    const rows = await this.appendRows(trx, appends);
    const byStream = new Map<string, AppendResult>();
    for (const row of rows)
      byStream.set(row.streamName, { nextExpectedVersion: row.streamVersion, position: row.position });
    const recorded = this.schemas.upcast<UntypedEvent>(rows);
    for (const projection of projections) {
      const handled = eventsForProjection(projection, recorded);
      if (handled.length > 0) await projection.handle(handled, trx, pipeline);
    }
    return byStream;
  }

  /** The guards and inline projections that read any of the appended types. */
  private projectionsFed(appends: StreamAppend[]): Projection[] {
    const types = new Set(appends.flatMap(({ events }) => events.map((event) => event.type)));
    return this.inline.filter((projection) => projection.eventTypes.some((type) => types.has(type)));
  }

  /**
   * Locks the streams until the transaction ends, in the order of their keys (two lockers of
   * shared streams never deadlock), then reads each one's events after its version. Every value
   * is a literal: numbers, and names as hex (so no quoting can go wrong, whatever the server's
   * string settings).
   */
  private async lockAndRead(
    trx: Transaction<any>,
    reads: LockedRead[],
    shared: readonly Projection[],
  ): Promise<Map<string, ReadStreamResult>> {
    const keys = [
      ...new Map(
        reads.map(({ streamName }) => streamLockKey(this.schema, streamName)).map((key) => [key.join(), key]),
      ).values(),
    ].sort(([a1, a2], [b1, b2]) => a1 - b1 || a2 - b2);
    const ints = (values: number[]) => sql.join(values.map((value) => sql.lit(value)));
    const names = reads.map(({ streamName }) =>
      sql.raw(`convert_from(decode('${Buffer.from(streamName).toString('hex')}', 'hex'), 'UTF8')`),
    );
    const sharedKeys = shared
      .map(projectionCheckpointName)
      .sort()
      .map((name) => checkpointLockKey(this.schema, name));
    for (const { afterVersion } of reads)
      if (!Number.isSafeInteger(afterVersion)) throw new TypeError(`not a stream version: ${afterVersion}`);
    const { rows } = await sql<EventRow>`SELECT * FROM ${sql.id(this.schema, LOCK_AND_READ_FUNCTION)}(
      ARRAY[${ints(keys.map(([high]) => high))}]::int[], ARRAY[${ints(keys.map(([, low]) => low))}]::int[],
      ARRAY[${sql.join(sharedKeys)}]::bigint[],
      ARRAY[${sql.join(names)}]::text[], ARRAY[${ints(reads.map(({ afterVersion }) => afterVersion))}]::bigint[])`.execute(
      trx,
    );
    const events = this.schemas.upcast<UntypedEvent>(rows.map(recordedEventFromRow));
    return new Map(
      reads.map(({ streamName, afterVersion }) => {
        const read = events.filter((event) => event.streamName === streamName);
        return [
          streamName,
          { currentVersion: read.length === 0 ? afterVersion : read[read.length - 1].streamVersion, events: read },
        ];
      }),
    );
  }

  /**
   * Shared locks on the checkpoints of the projections this append feeds: appends go on in
   * parallel, while a rebuild (which holds the lock exclusively) keeps them out until it is done.
   * Sent without waiting: the append's statement goes right behind it, and runs once it holds them.
   */
  private shareProjectionLocks(trx: Transaction<any>, pipeline: StatementPipeline, projections: Projection[]): void {
    if (projections.length === 0) return;
    // One statement, keys in a fixed order (the select list is evaluated left to right).
    const keys = projections
      .map(projectionCheckpointName)
      .sort()
      .map((name) => checkpointLockKey(this.schema, name));
    pipeline.send(sql`SELECT ${sql.join(keys.map((key) => sql`pg_advisory_xact_lock_shared(${key})`))}`.compile(trx));
  }

  /**
   * Appends every stream's events in one statement (appendStatement), and returns them as
   * recorded, by stream name, then version. A stream whose claim failed is reported as the
   * version conflict it is.
   */
  private async appendRows(trx: Transaction<any>, appends: StreamAppend[]): Promise<RecordedEvent[]> {
    const streams = [...appends].sort(byStreamName);
    const p: AppendedRows = {
      streamNames: [],
      counts: [],
      expectedVersions: [],
      eventStreams: [],
      ordinals: [],
      eventIds: [],
      types: [],
      data: [],
      metadata: [],
    };
    for (const { streamName, events, expectedVersion = 'any' } of streams) {
      if (p.streamNames.at(-1) === streamName) throw new TypeError(`one append names ${streamName} twice`);
      p.streamNames.push(streamName);
      p.counts.push(events.length);
      p.expectedVersions.push(
        expectedVersion === 'any' ? ANY_VERSION : expectedVersion === 'no_stream' ? 0 : expectedVersion,
      );
      this.schemas.stamp(events).forEach((event, i) => {
        p.eventStreams.push(streamName);
        p.ordinals.push(i + 1);
        p.eventIds.push(randomUUID());
        p.types.push(event.type);
        p.data.push(stringifyExactJson(event.data));
        p.metadata.push(stringifyExactJson(event.metadata ?? {}));
      });
    }
    const { rows } = await this.appendStatement(trx, p);
    const recorded = rows
      .map(recordedEventFromRow)
      .sort((a, b) => byStreamName(a, b) || a.streamVersion - b.streamVersion);
    const firstVersions = new Map<string, number>();
    for (const event of recorded)
      if (!firstVersions.has(event.streamName)) firstVersions.set(event.streamName, event.streamVersion);
    for (const [i, { streamName, expectedVersion = 'any' }] of streams.entries()) {
      const first = firstVersions.get(streamName);
      if (first === undefined)
        throw new ExpectedVersionConflictError(streamName, expectedVersion, await this.currentVersion(trx, streamName));
      // Expected at a version, it did not exist: the statement made it (rolled back with the throw).
      if (expectedVersion !== 'any' && first !== p.expectedVersions[i] + 1)
        throw new ExpectedVersionConflictError(streamName, expectedVersion, 0);
    }
    return recorded;
  }

  private events(db: Kysely<any>) {
    return db.withSchema(this.schema).selectFrom('events').select(EVENT_COLUMNS);
  }

  /** See readAll. */
  private eventsInCommitOrder(db: Kysely<any>) {
    return this.events(db)
      .where('transaction_id', '<', sql<string>`pg_snapshot_xmin(pg_current_snapshot())`)
      .orderBy('transaction_id')
      .orderBy('global_position');
  }

  private async currentVersion(db: Kysely<any>, streamName: string): Promise<number> {
    const row = await db
      .withSchema(this.schema)
      .selectFrom('streams')
      .select('version')
      .where('stream_name', '=', streamName)
      .executeTakeFirst();
    return row ? Number(row.version) : 0;
  }

  private isStreamVersionViolation(error: unknown): boolean {
    const pgError = error as { code?: string; constraint?: string; schema?: string };
    return (
      pgError?.code === '23505' && pgError.constraint === STREAM_VERSION_CONSTRAINT && pgError.schema === this.schema
    );
  }
}

function byStreamName(a: { streamName: string }, b: { streamName: string }): number {
  return a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0;
}
