import type { LicenseConfigurationEventMessage } from '@lm/contracts';
import { precompiled, type StatementPipeline } from '@lm/event-store';
import { sql, type Kysely, type Transaction } from 'kysely';
import { associationConcerned, type Association, type Associations } from '../domain/configuration-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import {
  CONFIGURATION_ASSOCIATIONS_FUNCTION,
  type UsageConfigurationAssociationsTable,
  type UsageMetricsViews,
} from './usage-metrics.views';

type Db = Transaction<UsageMetricsViews>;

/** One key of a stream's: a resource or a consumption key. */
const keyOf = (streamName: string, key: string) => `${streamName}\n${key}`;

/**
 * Associations to read, each of a stream: those on the consumption keys the resources are on now,
 * and those on the keys (CONFIGURATION_ASSOCIATIONS_FUNCTION's arguments, as parallel arrays).
 */
export type AssociationsAsked = {
  resourceStreams: string[];
  resourceArns: string[];
  keyStreams: string[];
  consumptionKeys: string[];
};

/** An association as it is read. */
export type AssociationRow = UsageConfigurationAssociationsTable;

/** See BatchAssociations.read; compiled once. */
const readConcerned = precompiled(
  (db: Kysely<any>, p: AssociationsAsked) =>
    sql<AssociationRow>`select * from ${sql.table(`${REPORTING_SCHEMA}.${CONFIGURATION_ASSOCIATIONS_FUNCTION}`)}(
    ${p.resourceStreams}::text[], ${p.resourceArns}::text[], ${p.keyStreams}::text[], ${p.consumptionKeys}::text[])`,
);

const associationsTable = sql.table(`${REPORTING_SCHEMA}.usage_configuration_associations`);

/**
 * BatchAssociations.write's statements: the associations of streams, of resources (each of a
 * stream), and their upsert, the rows as parallel arrays, so that each text is the same whatever
 * their number.
 */
const deleteStreams = precompiled(
  (db: Kysely<any>, p: { streams: string[] }) =>
    sql`delete from ${associationsTable} where stream_name = any(${p.streams}::text[])`,
);
const deleteAssociations = precompiled(
  (db: Kysely<any>, p: { streams: string[]; arns: string[] }) => sql`
    delete from ${associationsTable} a
    using unnest(${p.streams}::text[], ${p.arns}::text[]) as ended(stream_name, resource_arn)
    where a.stream_name = ended.stream_name and a.resource_arn = ended.resource_arn`,
);
const upsertAssociations = precompiled(
  (db: Kysely<any>, p: { streams: string[]; arns: string[]; keys: string[]; consumed: number[] }) => sql`
    insert into ${associationsTable} (stream_name, resource_arn, consumption_key, consumed_licenses)
    select * from unnest(${p.streams}::text[], ${p.arns}::text[], ${p.keys}::text[], ${p.consumed}::double precision[])
    on conflict (stream_name, resource_arn) do update set
      consumption_key = excluded.consumption_key,
      consumed_licenses = excluded.consumed_licenses`,
);

/**
 * The associations a batch of configuration events concerns (usage_configuration_associations):
 * those on the consumption keys of the resources the events name, and on the keys they associate
 * resources with. They are read before the batch is applied, by the call that locks its streams
 * (unread, then take), and again for an event taken back from waiting that concerns others (read);
 * changed in memory as each event is applied, and written back in one statement or two. A stream's
 * associations are only read or written by whoever holds its usage row locked, so what is read
 * stays true until the transaction ends.
 *
 * A key is read whole: every association on it, so that its largest consumption is known. An event
 * therefore touches the associations of its keys alone (an instance's, or a Dedicated Host's
 * instances), never all of its configuration's.
 */
export class BatchAssociations {
  /** By stream, by resource: the associations read, as the batch left them. */
  private readonly streams = new Map<string, Map<string, Association>>();
  /** Resources and consumption keys read whole (keyOf). */
  private readonly resourcesRead = new Set<string>();
  private readonly keysRead = new Set<string>();
  /** What the batch changed, by stream, by resource (null: ended); and the streams that lost them all. */
  private readonly changed = new Map<string, Map<string, Association | null>>();
  private readonly cleared = new Set<string>();

  /**
   * What the events concern that was not read yet: the resources they name and the keys they
   * associate resources with, each with its event's stream. Read by `read`, or by the batch's first
   * read, with its streams, and kept by `take`.
   */
  unread(events: readonly LicenseConfigurationEventMessage[]): AssociationsAsked {
    const asked: AssociationsAsked = { resourceStreams: [], resourceArns: [], keyStreams: [], consumptionKeys: [] };
    for (const event of events) {
      const concerned = associationConcerned(event);
      if (!concerned) continue;
      if (!this.resourcesRead.has(keyOf(event.streamName, concerned.resourceArn))) {
        asked.resourceStreams.push(event.streamName);
        asked.resourceArns.push(concerned.resourceArn);
      }
      if (concerned.consumptionKey && !this.keysRead.has(keyOf(event.streamName, concerned.consumptionKey))) {
        asked.keyStreams.push(event.streamName);
        asked.consumptionKeys.push(concerned.consumptionKey);
      }
    }
    return asked;
  }

  /** Reads the associations the events concern that were not read yet. */
  async read(tx: Db, events: readonly LicenseConfigurationEventMessage[]): Promise<void> {
    const asked = this.unread(events);
    if (asked.resourceArns.length === 0 && asked.consumptionKeys.length === 0) return;
    const { rows } = await readConcerned(tx, asked);
    this.take(asked, rows);
  }

  /** Keeps what was read for `asked` (see unread): every association on the keys it concerns. */
  take(asked: AssociationsAsked, rows: readonly AssociationRow[]): void {
    // A key read before is known as the batch left it (what it changed is not written yet).
    const fresh = rows.filter((row) => !this.keysRead.has(keyOf(row.stream_name, row.consumption_key)));
    for (const row of fresh)
      this.associationsOf(row.stream_name).set(row.resource_arn, {
        consumptionKey: row.consumption_key,
        consumedLicenses: row.consumed_licenses,
      });
    for (const row of fresh) this.keysRead.add(keyOf(row.stream_name, row.consumption_key));
    asked.keyStreams.forEach((stream, i) => this.keysRead.add(keyOf(stream, asked.consumptionKeys[i])));
    asked.resourceStreams.forEach((stream, i) => this.resourcesRead.add(keyOf(stream, asked.resourceArns[i])));
  }

  /** The associations on the consumption keys an event concerns (read before by `read`). */
  sharing(event: LicenseConfigurationEventMessage): Associations {
    const concerned = associationConcerned(event);
    if (!concerned) return new Map();
    const associations = this.associationsOf(event.streamName);
    const keys = new Set([associations.get(concerned.resourceArn)?.consumptionKey, concerned.consumptionKey]);
    return new Map([...associations].filter(([, association]) => keys.has(association.consumptionKey)));
  }

  /** Sets a resource's association (null: ends it). */
  set(streamName: string, resourceArn: string, association: Association | null): void {
    const associations = this.associationsOf(streamName);
    if (association) associations.set(resourceArn, association);
    else associations.delete(resourceArn);
    const changed = this.changed.get(streamName) ?? new Map<string, Association | null>();
    this.changed.set(streamName, changed.set(resourceArn, association));
  }

  /** Ends every association of a stream (its configuration was deleted). */
  clear(streamName: string): void {
    this.streams.set(streamName, new Map());
    this.changed.delete(streamName);
    this.cleared.add(streamName);
  }

  /**
   * Writes what the batch changed, through the transaction's pipeline (nothing reads the answers),
   * with statements compiled once.
   */
  write(tx: Db, pipeline: StatementPipeline): void {
    if (this.cleared.size > 0) pipeline.send(deleteStreams.bind(tx, { streams: [...this.cleared] }));
    const changes = [...this.changed].flatMap(([stream, resources]) =>
      [...resources].map(([arn, association]) => ({ stream, arn, association })),
    );
    const kept = changes.flatMap(({ stream, arn, association }) => (association ? [{ stream, arn, association }] : []));
    if (kept.length > 0)
      pipeline.send(
        upsertAssociations.bind(tx, {
          streams: kept.map(({ stream }) => stream),
          arns: kept.map(({ arn }) => arn),
          keys: kept.map(({ association }) => association.consumptionKey),
          consumed: kept.map(({ association }) => association.consumedLicenses),
        }),
      );
    const ended = changes.filter(({ association }) => !association);
    if (ended.length > 0)
      pipeline.send(
        deleteAssociations.bind(tx, {
          streams: ended.map(({ stream }) => stream),
          arns: ended.map(({ arn }) => arn),
        }),
      );
  }

  private associationsOf(streamName: string): Map<string, Association> {
    const associations = this.streams.get(streamName) ?? new Map<string, Association>();
    this.streams.set(streamName, associations);
    return associations;
  }
}
