import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Direction,
  type JSONType,
  type ReadPosition,
} from '@eventstore/db-client';
import type { Kysely } from 'kysely';
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
import { consoleLogger, describeError, type EventStoreLogger } from '../logger';
import { SubscriptionRegistry } from '../polling-subscription';
import { PostgresCheckpointStore } from '../postgres/postgres-checkpoint-store';
import { runProjection } from '../projections/projection-runner';
import {
  isUserEvent,
  positionOfToken,
  positionToken,
  recordedEventFromEsdb,
  toExpectedRevision,
  versionOfRevision,
} from './eventstoredb-mapping';

const DEFAULT_READ_ALL_LIMIT = 1000;
const HEAD_SEARCH_PAGE = 100;
/** Records of $all one readAllOfTypes looks through at most (see the PostgreSQL adapter's). */
const TYPED_READ_SCAN_LIMIT = 5000;

type EsdbRecord = NonNullable<AllStreamResolvedEvent['event']>;

export interface EventStoreDbEventStoreOptions {
  /** EventStoreDB connection string, e.g. esdb://localhost:2113?tls=false */
  url: string;
  /** PostgreSQL for checkpoints and projection views; owned by the caller. */
  db: Kysely<any>;
  /** The service's schema, prepared by migrateEventStoreSchema (only its checkpoints table is used). */
  schema: string;
  /** Brought up to date after each append (they cannot share a transaction with EventStoreDB). */
  projections?: Projection[];
  /** Refused: EventStoreDB appends cannot share a transaction with a guard (see capabilities). */
  guards?: Guard[];
  /** By event type: bring the data of events recorded at older schema versions to the current shape. */
  upcasters?: Upcasters;
  logger?: EventStoreLogger;
}

/** Event store on EventStoreDB; checkpoints and projection views stay in PostgreSQL. */
export class EventStoreDbEventStore implements EventStore {
  readonly capabilities: EventStoreCapabilities = EVENT_STORE_CAPABILITIES.eventstoredb;
  readonly checkpoints: PostgresCheckpointStore;
  private readonly client: EventStoreDBClient;
  private readonly db: Kysely<any>;
  private readonly projections: Projection[];
  private readonly schemas: EventSchemas;
  private readonly logger: EventStoreLogger;
  private readonly subscriptions = new SubscriptionRegistry();
  /** Tail of this process's projection catch-ups: they run one after another. */
  private projectionCatchUp: Promise<void> = Promise.resolve();

  constructor(options: EventStoreDbEventStoreOptions) {
    if (options.guards?.length) {
      const names = options.guards.map((guard) => guard.name).join(', ');
      throw new Error(
        `the eventstoredb event store cannot enforce guards (${names}): ` +
          'its appends cannot share a transaction with them; use EVENT_STORE=postgres',
      );
    }
    this.client = EventStoreDBClient.connectionString(options.url);
    this.db = options.db;
    this.projections = options.projections ?? [];
    this.schemas = new EventSchemas(options.upcasters);
    this.logger = options.logger ?? consoleLogger;
    this.checkpoints = new PostgresCheckpointStore(options.db, options.schema);
  }

  async append(
    streamName: string,
    events: NewEvent[],
    { expectedVersion = 'any' }: { expectedVersion?: ExpectedVersion } = {},
  ): Promise<AppendResult> {
    assertAppendable(streamName, events, expectedVersion);
    let result;
    try {
      result = await this.client.appendToStream(
        streamName,
        this.schemas
          .stamp(events)
          .map((event) =>
            jsonEvent({ type: event.type, data: event.data as JSONType, metadata: event.metadata ?? {} }),
          ),
        { expectedRevision: toExpectedRevision(expectedVersion) },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new ExpectedVersionConflictError(streamName, expectedVersion, versionOfRevision(error.actualVersion));
      }
      throw error;
    }
    const position = result.position ? positionToken(result.position) : undefined;
    await this.catchUpProjections(position);
    this.subscriptions.appended(new Set(events.map((event) => event.type)));
    return { nextExpectedVersion: versionOfRevision(result.nextExpectedRevision), position: position ?? '' };
  }

  /** Not atomic: EventStoreDB has no multi-stream transactions (see the port). */
  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const { streamName, events, expectedVersion } of appends)
      results.push(await this.append(streamName, events, { expectedVersion }));
    return results;
  }

  /** Refused: EventStoreDB has no locks and no transactions (see capabilities.lockedDecisions). */
  decideUnderLock(): Promise<AppendResult[]> {
    return Promise.reject(new Error('the eventstoredb event store cannot lock streams (capabilities.lockedDecisions)'));
  }

  async readStream<E extends DomainEvent = UntypedEvent>(
    streamName: string,
    { afterVersion = 0 }: { afterVersion?: number } = {},
  ): Promise<ReadStreamResult<E>> {
    const events: RecordedEvent[] = [];
    try {
      // Revisions count from 0: the event at version v has revision v - 1.
      for await (const resolved of this.client.readStream(streamName, {
        fromRevision: afterVersion === 0 ? START : BigInt(afterVersion),
      })) {
        if (resolved.event) events.push(recordedEventFromEsdb(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { currentVersion: 0, events: [] };
      throw error;
    }
    return {
      currentVersion: events.length === 0 ? afterVersion : events[events.length - 1].streamVersion,
      events: this.schemas.upcast<E>(events),
    };
  }

  /**
   * $all is already in commit order and never changes behind a reader. System records are read
   * but not returned, so a page may take several reads to fill.
   */
  async readAll<E extends DomainEvent = UntypedEvent>({
    after,
    limit = DEFAULT_READ_ALL_LIMIT,
  }: { after?: string; limit?: number } = {}): Promise<Recorded<E>[]> {
    const { events } = await this.scanAll(after, limit, isUserEvent, Infinity);
    return this.schemas.upcast<E>(events);
  }

  /**
   * Filtered on this side: the client reads $all without a server-side filter. What is saved is
   * the work on the other types' events after the read (and the handler's), not the read itself.
   */
  async readAllOfTypes<E extends DomainEvent = UntypedEvent>({
    types,
    after,
    limit = DEFAULT_READ_ALL_LIMIT,
  }: TypedReadOptions<E>): Promise<TypedReadPage<E>> {
    const wanted = new Set<string>(types);
    const { events, lastSeen, reachedEnd } = await this.scanAll(
      after,
      limit,
      (event) => isUserEvent(event) && wanted.has(event.type),
      Math.max(limit, TYPED_READ_SCAN_LIMIT),
    );
    return {
      events: this.schemas.upcast<E>(events),
      readThrough: lastSeen === after ? undefined : lastSeen,
      reachedEnd,
    };
  }

  /**
   * The records of $all after `after` that `accept` takes, up to `limit` of them, looking through
   * at most about `scanLimit` records; `lastSeen` is the token of the last record looked at
   * (`after` when none), `reachedEnd` whether it looked as far as $all's end.
   */
  private async scanAll(
    after: string | undefined,
    limit: number,
    accept: (event: EsdbRecord) => boolean,
    scanLimit: number,
  ): Promise<{ events: RecordedEvent[]; lastSeen: string | undefined; reachedEnd: boolean }> {
    const events: RecordedEvent[] = [];
    let from: ReadPosition = after === undefined ? START : positionOfToken(after);
    let lastSeen = after;
    let scanned = 0;
    for (;;) {
      // The record at `from` itself comes back again: read one more and skip it.
      const page = await this.readAllPage(from, FORWARDS, limit + 1);
      for (const event of page) {
        const token = positionToken(event.position);
        if (lastSeen !== undefined && token <= lastSeen) continue;
        lastSeen = token;
        scanned += 1;
        if (!accept(event)) continue;
        events.push(recordedEventFromEsdb(event));
        if (events.length === limit) return { events, lastSeen, reachedEnd: false };
      }
      if (page.length < limit + 1) return { events, lastSeen, reachedEnd: true };
      if (scanned >= scanLimit) return { events, lastSeen, reachedEnd: false };
      from = page[page.length - 1].position;
    }
  }

  async headPosition(): Promise<string | undefined> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS, HEAD_SEARCH_PAGE + 1);
      const newest = page.find(isUserEvent);
      if (newest) return positionToken(newest.position);
      if (page.length < HEAD_SEARCH_PAGE + 1) return undefined;
      from = page[page.length - 1].position;
    }
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
    await this.projectionCatchUp;
    await this.client.dispose();
  }

  private async readAllPage(fromPosition: ReadPosition, direction: Direction, maxCount: number): Promise<EsdbRecord[]> {
    const page: EsdbRecord[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount, resolveLinkTos: false })) {
      if (resolved.event) page.push(resolved.event);
    }
    return page;
  }

  /**
   * Runs the projections up to the appended position, so the caller reads its own write. The
   * events are already stored, so a failing projection is logged rather than failing the append;
   * the next append catches it up again.
   */
  private async catchUpProjections(until: string | undefined): Promise<void> {
    if (this.projections.length === 0) return;
    const run = this.projectionCatchUp.then(async () => {
      for (const projection of this.projections) {
        await runProjection(this, this.db, projection, { until });
      }
    });
    this.projectionCatchUp = run.catch((error: unknown) => {
      this.logger.error(`projection catch-up failed, will retry after the next append: ${describeError(error)}`);
    });
    await this.projectionCatchUp;
  }
}
