import type { LicenseManager } from '@lm/api-model';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from './license-configuration.views';

/** What a configuration's associations consume, as GetLicenseConfiguration reports it. */
export interface ConsumptionSummary {
  consumedLicenses: number;
  consumedByType: Map<LicenseManager.ResourceType, number>;
  associationsByType: Map<LicenseManager.ResourceType, number>;
}

const EMPTY: ConsumptionSummary = { consumedLicenses: 0, consumedByType: new Map(), associationsByType: new Map() };

/** One row of `summaryRowsSql`: a configuration's consumption by one resource type. */
export interface ConsumptionSummaryRow {
  configuration_id: string;
  resource_type: string;
  /** Per consumption key of this type the largest consumption, summed. */
  consumed: string;
  associations: string;
  /** The configuration's total over every type: per consumption key the largest consumption, summed. */
  total: string;
}

const ASSOCIATIONS = sql.id(LICENSING_SCHEMA, 'license_configuration_associations');

/**
 * SQL: joins that give, for the configuration whose id is `id` (a column of the query they join),
 * one row per resource type of its associations (`by_type`: its consumed and associations) with
 * its total (`totals.total`), or one row of nulls when it has none. Licences in use are counted
 * per consumption key (a resource, or the Dedicated Host its instances share), whose largest
 * consumption counts once. Aggregated in PostgreSQL, so that a configuration with thousands of
 * associations answers with one row per resource type, not one per resource; as lateral joins on
 * the association index, which cost PostgreSQL less than common table expressions over a set of
 * ids (GetLicenseConfiguration's statement 97 → 80 µs with pgbench, no associations).
 */
export const consumptionJoinsSql = (id: RawBuilder<unknown>) => sql`
  left join lateral (
    select resource_type, sum(consumed)::text as consumed, sum(associations)::text as associations
    from (
      select resource_type, consumption_key, max(consumed_licenses) as consumed, count(*) as associations
      from ${ASSOCIATIONS} where configuration_id = ${id}
      group by resource_type, consumption_key
    ) by_key
    group by resource_type
  ) by_type on true
  left join lateral (
    select sum(consumed)::text as total
    from (
      select max(consumed_licenses) as consumed from ${ASSOCIATIONS} where configuration_id = ${id}
      group by consumption_key
    ) by_key
  ) totals on by_type.resource_type is not null`;

/** SQL: the columns of `ConsumptionSummaryRow` over consumptionJoinsSql, null when a configuration has none. */
export const summaryColumnsSql = (id: RawBuilder<unknown>) =>
  sql`case when by_type.resource_type is not null then ${id} end as configuration_id,
      by_type.resource_type, by_type.consumed, by_type.associations, totals.total`;

/** The summaries of the configurations the rows are of (those without rows consume nothing). */
export function summariesOf(rows: readonly ConsumptionSummaryRow[]): Map<string, ConsumptionSummary> {
  const summaries = new Map<string, ConsumptionSummary>();
  for (const row of rows) {
    let summary = summaries.get(row.configuration_id);
    if (!summary) {
      summary = { consumedLicenses: Number(row.total), consumedByType: new Map(), associationsByType: new Map() };
      summaries.set(row.configuration_id, summary);
    }
    const type = row.resource_type as LicenseManager.ResourceType;
    summary.consumedByType.set(type, Number(row.consumed));
    summary.associationsByType.set(type, Number(row.associations));
  }
  return summaries;
}

/** Licences in use per configuration, from the association rows. */
export async function consumptionSummaries(
  db: Kysely<LicenseConfigurationViews>,
  configurationIds: string[],
): Promise<Map<string, ConsumptionSummary>> {
  if (configurationIds.length === 0) return new Map();
  const id = sql.ref('c.id');
  const { rows } = await sql<ConsumptionSummaryRow>`
    select ${summaryColumnsSql(id)} from unnest(${configurationIds}::text[]) as c(id) ${consumptionJoinsSql(id)}
    where by_type.resource_type is not null
    order by c.id, by_type.resource_type`.execute(db);
  return summariesOf(rows);
}

export const noConsumption = (): ConsumptionSummary => EMPTY;

/** SQL: the licences a configuration row (`license_configurations`) has in use. */
export const consumedLicensesSql = sql<number>`(
  select coalesce(sum(k.consumed), 0) from (
    select max(a.consumed_licenses) as consumed from licensing.license_configuration_associations a
    where a.configuration_id = license_configurations.id group by a.consumption_key
  ) k
)`;
