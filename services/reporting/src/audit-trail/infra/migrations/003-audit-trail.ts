import { sql, type Kysely, type Migration } from 'kysely';

/** The audit trail: each account's CloudTrail records, by event id, with the columns LookupEvents filters on. */
export const auditTrailViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_events')
      // A record delivered again is the same event id: stored once.
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('event_time', 'timestamptz', (c) => c.notNull())
      .addColumn('event_name', 'text', (c) => c.notNull())
      .addColumn('event_source', 'text', (c) => c.notNull())
      .addColumn('read_only', 'boolean', (c) => c.notNull())
      .addColumn('access_key_id', 'text')
      .addColumn('username', 'text')
      .addColumn('resources', 'jsonb', (c) => c.notNull())
      .addColumn('record', 'jsonb', (c) => c.notNull())
      .execute();
    // Lookups read an account's events newest first; the retention sweep deletes by time.
    await db.schema
      .createIndex('audit_events_by_account')
      .on('audit_events')
      .columns(['account_id', 'region', 'event_time desc', 'event_id desc'])
      .execute();
    await db.schema.createIndex('audit_events_by_time').on('audit_events').column('event_time').execute();
    // ResourceName and ResourceType lookups match inside the resources array.
    await db.schema
      .createIndex('audit_events_resources')
      .on('audit_events')
      .using('gin')
      .expression(sql`resources jsonb_path_ops`)
      .execute();
  },
};
