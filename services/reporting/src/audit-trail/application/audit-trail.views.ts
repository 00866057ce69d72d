import type { ColumnType } from 'kysely';
import type { AuditRecord } from '@lm/contracts';
import type { CloudTrail } from '@lm/api-model';

type Json<T> = ColumnType<T, string, string>;

/** One stored audit record (see domain/audit-event.ts). */
export interface AuditEventsTable {
  event_id: string;
  account_id: string;
  region: string;
  event_time: ColumnType<Date, string, string>;
  event_name: string;
  event_source: string;
  read_only: boolean;
  access_key_id: string | null;
  username: string | null;
  resources: Json<CloudTrail.Resource[]>;
  record: Json<AuditRecord>;
}

export interface AuditTrailViews {
  audit_events: AuditEventsTable;
}
