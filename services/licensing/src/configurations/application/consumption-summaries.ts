import type { LicenseManager } from '@lm/api-model';
import { sql, type Kysely } from 'kysely';
import type { LicenseConfigurationViews } from './license-configuration.views';

/** What a configuration's associations consume, as GetLicenseConfiguration reports it. */
export interface ConsumptionSummary {
  consumedLicenses: number;
  consumedByType: Map<LicenseManager.ResourceType, number>;
  associationsByType: Map<LicenseManager.ResourceType, number>;
}

const EMPTY: ConsumptionSummary = { consumedLicenses: 0, consumedByType: new Map(), associationsByType: new Map() };

/**
 * Licences in use per configuration, from the association rows: per consumption key (a resource,
 * or the Dedicated Host its instances share) the largest consumption counts, once.
 */
export async function consumptionSummaries(
  db: Kysely<LicenseConfigurationViews>,
  configurationIds: string[],
): Promise<Map<string, ConsumptionSummary>> {
  const summaries = new Map<string, ConsumptionSummary>();
  if (configurationIds.length === 0) return summaries;
  const rows = await db
    .selectFrom('license_configuration_associations')
    .select(['configuration_id', 'resource_type', 'consumption_key'])
    .select((eb) => [eb.fn.max('consumed_licenses').as('consumed'), eb.fn.countAll<string>().as('associations')])
    .where('configuration_id', 'in', configurationIds)
    .groupBy(['configuration_id', 'resource_type', 'consumption_key'])
    .execute();
  const byKey = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const summary = summaries.get(row.configuration_id) ?? {
      consumedLicenses: 0,
      consumedByType: new Map(),
      associationsByType: new Map(),
    };
    const type = row.resource_type as LicenseManager.ResourceType;
    summary.consumedByType.set(type, (summary.consumedByType.get(type) ?? 0) + Number(row.consumed));
    summary.associationsByType.set(type, (summary.associationsByType.get(type) ?? 0) + Number(row.associations));
    summaries.set(row.configuration_id, summary);
    const keys = byKey.get(row.configuration_id) ?? new Map<string, number>();
    keys.set(row.consumption_key, Math.max(keys.get(row.consumption_key) ?? 0, Number(row.consumed)));
    byKey.set(row.configuration_id, keys);
  }
  for (const [id, keys] of byKey) summaries.get(id)!.consumedLicenses = [...keys.values()].reduce((a, b) => a + b, 0);
  return summaries;
}

export const noConsumption = (): ConsumptionSummary => EMPTY;

/** SQL: the licences a configuration row (`license_configurations`) has in use. */
export const consumedLicensesSql = sql<number>`(
  select coalesce(sum(k.consumed), 0) from (
    select max(a.consumed_licenses) as consumed from licensing.license_configuration_associations a
    where a.configuration_id = license_configurations.id group by a.consumption_key
  ) k
)`;
