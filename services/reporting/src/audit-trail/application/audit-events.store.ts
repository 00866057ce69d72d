import { Inject, Injectable } from '@nestjs/common';
import { stringifyExactJson, type AuditRecord } from '@lm/contracts';
import { DATABASE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { auditEventOf } from '../domain/audit-event';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AuditTrailViews } from './audit-trail.views';

/**
 * Rows in one INSERT at most: the consumer may hand over the records of 100 messages of 100
 * records each, and one statement's JSON stays well under PostgreSQL's 1 GB a value.
 */
const MAX_ROWS_PER_STATEMENT = 1_000;

/** Keeps the audit records the gateway published, each once. */
@Injectable()
export class AuditEventsStore {
  private readonly db: Kysely<AuditTrailViews>;

  constructor(@Inject(DATABASE) db: Kysely<AuditTrailViews>) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** Stores a record for its account; a record already stored (a redelivery) or without an account is left. */
  async store(record: AuditRecord): Promise<boolean> {
    return (await this.storeAll([record])) > 0;
  }

  /**
   * Stores records in one statement (one commit for all: the audit trail takes a record of every
   * call, and a commit each cost the database more than the call itself), a statement per
   * MAX_ROWS_PER_STATEMENT of them; resolves with how many were new.
   */
  async storeAll(records: AuditRecord[]): Promise<number> {
    let stored = 0;
    for (let start = 0; start < records.length; start += MAX_ROWS_PER_STATEMENT)
      stored += await this.insert(records.slice(start, start + MAX_ROWS_PER_STATEMENT));
    return stored;
  }

  private async insert(records: AuditRecord[]): Promise<number> {
    const rows = records.flatMap((record) => {
      const event = auditEventOf(record);
      if (!event) return [];
      return [
        {
          event_id: event.eventId,
          account_id: event.accountId,
          region: event.region,
          event_time: event.eventTime.toISOString(),
          event_name: event.eventName,
          event_source: event.eventSource,
          read_only: event.readOnly,
          access_key_id: event.accessKeyId ?? null,
          username: event.username ?? null,
          resources: event.resources,
          record: event.record,
        },
      ];
    });
    if (rows.length === 0) return 0;
    // The rows as one JSON parameter of a statement that is always the same: one stringify for
    // the batch, and one prepared statement whatever its size (a row of parameters each made a
    // new statement text per row count, built and planned again).
    const inserted = await sql`
      insert into ${sql.id(REPORTING_SCHEMA, 'audit_events')} (${sql.raw(COLUMNS)})
      select ${sql.raw(COLUMNS)} from jsonb_to_recordset(${jsonbText(rows)}::jsonb) as r(${sql.raw(COLUMN_TYPES)})
      on conflict (event_id) do nothing`.execute(this.db);
    return Number(inserted.numAffectedRows ?? 0);
  }
}

const COLUMN_DEFINITIONS = {
  event_id: 'text',
  account_id: 'text',
  region: 'text',
  event_time: 'timestamptz',
  event_name: 'text',
  event_source: 'text',
  read_only: 'boolean',
  access_key_id: 'text',
  username: 'text',
  resources: 'jsonb',
  record: 'jsonb',
} as const;
const COLUMNS = Object.keys(COLUMN_DEFINITIONS).join(', ');
const COLUMN_TYPES = Object.entries(COLUMN_DEFINITIONS)
  .map(([column, type]) => `${column} ${type}`)
  .join(', ');

/** JSON that jsonb takes: U+0000 (which JSON writes as \\u0000) replaced, in the rare value that holds it. */
function jsonbText(value: unknown): string {
  const json = stringifyExactJson(value);
  return json.includes('\\u0000') ? stringifyExactJson(value, withoutNul) : json;
}

/**
 * jsonb cannot hold U+0000, which the parameters of a call refused for holding it (and the error
 * message quoting them) carry: such a record would never be stored, and its redelivery would never
 * end. Kept with U+FFFD instead, the character that stands for one that cannot be represented.
 */
function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  if (!Object.keys(value).some((key) => key.includes('\u0000'))) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replaceAll('\u0000', '\uFFFD'), item]));
}
