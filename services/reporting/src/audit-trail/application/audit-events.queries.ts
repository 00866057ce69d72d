import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CloudTrail } from '@lm/api-model';
import { AwsError, type Caller } from '@lm/contracts';
import { DATABASE, pageOf } from '@lm/service-kit';
import { sql, type Kysely, type Selectable } from 'kysely';
import { lookupEventOf, type AuditEvent } from '../domain/audit-event';
import { lookupCriteria, MAX_RESULTS, type LookupCriteria } from '../domain/lookup-criteria';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AuditEventsTable, AuditTrailViews } from './audit-trail.views';

/** Where a page ends, and which lookup it belongs to (a token is only good for the lookup that gave it). */
type PageKey = { t: string; id: string; q: string };

/** The columns each attribute looks up; ResourceName and ResourceType match one of the event's resources. */
const COLUMNS = {
  EventId: 'event_id',
  EventName: 'event_name',
  Username: 'username',
  AccessKeyId: 'access_key_id',
  EventSource: 'event_source',
} as const;

/** LookupEvents: the caller's account's events in the caller's Region, newest first. */
@Injectable()
export class AuditEventsQueries {
  private readonly db: Kysely<AuditTrailViews>;

  constructor(@Inject(DATABASE) db: Kysely<AuditTrailViews>) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  async lookup(caller: Caller, input: CloudTrail.LookupEventsRequest): Promise<CloudTrail.LookupEventsResponse> {
    const criteria = lookupCriteria(input);
    const lookupId = fingerprint(criteria);
    const page = pageOf<PageKey>(caller.accountId, input, {
      defaultSize: MAX_RESULTS,
      maxSize: MAX_RESULTS,
      invalidTokenError: 'InvalidNextTokenException',
    });
    if (page.after && page.after.q !== lookupId)
      throw new AwsError('InvalidNextTokenException', 'The NextToken belongs to another lookup.');
    // This product records management events only: there are no Insights events to find.
    if (criteria.insightsOnly) return { Events: [] };
    let query = this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('account_id', '=', caller.accountId)
      .where('region', '=', caller.region);
    if (criteria.startTime) query = query.where('event_time', '>=', criteria.startTime);
    if (criteria.endTime) query = query.where('event_time', '<=', criteria.endTime);
    const attribute = criteria.attribute;
    if (attribute?.key === 'ReadOnly') query = query.where('read_only', '=', attribute.value === 'true');
    else if (attribute?.key === 'ResourceName' || attribute?.key === 'ResourceType') {
      const resource = JSON.stringify([{ [attribute.key]: attribute.value }]);
      query = query.where(sql<boolean>`resources @> ${resource}::jsonb`);
    } else if (attribute) query = query.where(COLUMNS[attribute.key], '=', attribute.value);
    if (page.after) {
      const { t, id } = page.after;
      query = query.where(sql<boolean>`(event_time, event_id) < (${t}::timestamptz, ${id})`);
    }
    const rows = await query
      .orderBy('event_time', 'desc')
      .orderBy('event_id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({
      t: row.event_time.toISOString(),
      id: row.event_id,
      q: lookupId,
    }));
    return { Events: items.map((row) => lookupEventOf(eventOfRow(row))), ...(NextToken ? { NextToken } : {}) };
  }
}

function eventOfRow(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    eventId: row.event_id,
    accountId: row.account_id,
    region: row.region,
    eventTime: row.event_time,
    eventName: row.event_name,
    eventSource: row.event_source,
    readOnly: row.read_only,
    accessKeyId: row.access_key_id ?? undefined,
    username: row.username ?? undefined,
    resources: row.resources,
    record: row.record,
  };
}

/** A lookup's criteria but its page size, hashed: a token from another lookup is refused. */
function fingerprint(criteria: LookupCriteria): string {
  const lookup = JSON.stringify({ ...criteria, maxResults: undefined });
  return createHash('sha256').update(lookup).digest('base64url').slice(0, 16);
}
