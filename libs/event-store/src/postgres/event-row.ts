import type { RecordedEvent } from '../event-store';
import { encodePositionToken } from '../position-token';

/** A row of the `events` table as node-postgres returns it (64-bit numbers come back as strings). */
export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_name: string;
  stream_version: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

export const EVENT_COLUMNS = [
  'global_position',
  'transaction_id',
  'stream_name',
  'stream_version',
  'event_id',
  'type',
  'data',
  'metadata',
  'recorded_at',
] as const;

/** Readers order events by (transaction_id, global_position); the token carries both. */
export function positionOfRow(row: Pick<EventRow, 'transaction_id' | 'global_position'>): string {
  return encodePositionToken(row.transaction_id, row.global_position);
}

export function recordedEventFromRow(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamName: row.stream_name,
    streamVersion: Number(row.stream_version),
    position: positionOfRow(row),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
