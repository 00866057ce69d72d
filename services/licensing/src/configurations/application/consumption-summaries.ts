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

/**
 * SQL: the rows of `ConsumptionSummaryRow` of the configurations `ids` selects (a subquery of ids).
 * Licences in use are counted per consumption key (a resource, or the Dedicated Host its instances
 * share), whose largest consumption counts once. Aggregated in PostgreSQL, so that a configuration
 * with thousands of associations answers with one row per resource type, not one per resource.
 */
export const summaryRowsSql = (ids: RawBuilder<unknown>) => sql<ConsumptionSummaryRow>`
  with by_key as (
    select configuration_id, resource_type, consumption_key,
           max(consumed_licenses) as consumed, count(*) as associations
    from ${sql.id(LICENSING_SCHEMA, 'license_configuration_associations')}
    where configuration_id in (${ids})
    group by configuration_id, resource_type, consumption_key
  ), totals as (
    select configuration_id, sum(consumed) as total
    from (select configuration_id, max(consumed) as consumed from by_key group by configuration_id, consumption_key) k
    group by configuration_id
  )
  select b.configuration_id, b.resource_type, sum(b.consumed)::text as consumed,
         sum(b.associations)::text as associations, t.total::text as total
  from by_key b join totals t using (configuration_id)
  group by b.configuration_id, b.resource_type, t.total
  order by b.configuration_id, b.resource_type`;

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
  const ids = sql`select unnest(${configurationIds}::text[])`;
  return summariesOf((await summaryRowsSql(ids).execute(db)).rows);
}

export const noConsumption = (): ConsumptionSummary => EMPTY;

/** SQL: the licences a configuration row (`license_configurations`) has in use. */
export const consumedLicensesSql = sql<number>`(
  select coalesce(sum(k.consumed), 0) from (
    select max(a.consumed_licenses) as consumed from licensing.license_configuration_associations a
    where a.configuration_id = license_configurations.id group by a.consumption_key
  ) k
)`;
