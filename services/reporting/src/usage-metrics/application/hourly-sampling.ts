import { sql, type Kysely, type Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { UsageMetricsViews } from './usage-metrics.views';

/**
 * A consumer's view of usages sampled every hour (configurations', licences' entitlements, counts
 * over streams: subscribed users, running instances): its
 * table, the column naming each usage, and how the hourly points of a usage are written.
 */
export interface HourlySampled<Usage extends { deleted?: boolean }> {
  table: 'usage_configurations' | 'entitlement_usage_licences' | 'subscribed_user_counts' | 'running_instance_counts';
  key: 'stream_name' | 'license_id' | 'key';
  writeHours(trx: Transaction<UsageMetricsViews>, key: string, usage: Usage, after: Date, through: Date): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * The hourly points up to `now` of each live usage whose last whole hour is not sampled yet (its
 * usage has not changed since its last event, or the consumer would have written them). Each usage
 * is locked while sampled, so that the consumer applying an event to it waits, and is checked again
 * once locked: the consumer may have sampled it meanwhile.
 */
export async function sampleDueHours<Usage extends { deleted?: boolean }>(
  db: Kysely<UsageMetricsViews>,
  sampled: HourlySampled<Usage>,
  now: Date,
): Promise<void> {
  const table = sql.id(REPORTING_SCHEMA, sampled.table);
  const key = sql.ref(sampled.key);
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const due = await sql<{ key: string }>`
    select ${key} as key from ${table}
    where sampled_through < ${hour} and not (usage->>'deleted')::boolean`.execute(db);
  for (const { key: name } of due.rows) {
    await db.transaction().execute(async (trx) => {
      const locked = await sql<{ usage: Usage | null; sampled_through: Date | null }>`
        select usage, sampled_through from ${table} where ${key} = ${name} for update`.execute(trx);
      const [row] = locked.rows;
      if (!row?.usage || row.usage.deleted || !row.sampled_through || row.sampled_through >= now) return;
      await sampled.writeHours(trx, name, row.usage, row.sampled_through, now);
      await sql`update ${table} set sampled_through = ${now} where ${key} = ${name}`.execute(trx);
    });
  }
}
