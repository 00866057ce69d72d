import {
  ANY,
  NO_STREAM,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { ExpectedVersion, RecordedEvent } from '../event-store';
import { decodePositionToken, encodePositionToken } from '../position-token';

type EsdbRecordedEvent = NonNullable<ResolvedEvent['event'] | AllStreamResolvedEvent['event']>;

/** EventStoreDB revisions are 0-based event numbers; our versions count events (1-based). */
export function toExpectedRevision(expectedVersion: ExpectedVersion): AppendExpectedRevision {
  if (expectedVersion === 'any') return ANY;
  if (expectedVersion === 'no_stream' || expectedVersion === 0) return NO_STREAM;
  return BigInt(expectedVersion - 1);
}

export function versionOfRevision(revision: CurrentRevision | bigint): number {
  return revision === NO_STREAM ? 0 : Number(revision) + 1;
}

export function positionToken(position: Position): string {
  return encodePositionToken(position.commit, position.prepare);
}

export function positionOfToken(token: string): Position {
  const [commit, prepare] = decodePositionToken(token);
  return { commit, prepare };
}

/**
 * Events of the store's users: not system streams or system events (`$`-prefixed), and JSON,
 * which is all this adapter writes.
 */
export function isUserEvent(event: EsdbRecordedEvent): boolean {
  return event.isJson && !event.streamId.startsWith('$') && !event.type.startsWith('$');
}

export function recordedEventFromEsdb(event: EsdbRecordedEvent): RecordedEvent {
  const metadata = event.metadata;
  return {
    eventId: event.id,
    streamName: event.streamId,
    streamVersion: versionOfRevision(event.revision),
    // Servers before 22.6 leave positions off stream reads; $all reads always carry them.
    position: event.position ? positionToken(event.position) : '',
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: isPlainObject(metadata) ? metadata : {},
    recordedAt: event.created,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
