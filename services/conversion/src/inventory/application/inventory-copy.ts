import type { ResourceObservedData } from '@lm/contracts';
import type { Transaction } from 'kysely';
import type { InstanceFacts } from '../../shared/instance-facts';
import { CONVERSION_SCHEMA } from '../../shared/schema';
import type { InventoryViews } from './inventory.views';

/** The facts of an observation a conversion reads (v1 events recorded before an attribute existed: not reported). */
export const factsOf = (data: ResourceObservedData): InstanceFacts => ({
  resourceId: data.resourceId,
  state: data.state,
  usageOperation: data.usageOperation,
  productCodes: (data.productCodes ?? [])
    .filter((code) => code.productCodeType !== 'devpay')
    .map((code) => code.productCodeId)
    .sort(),
  platform: data.platform,
  platformVersion: data.platformVersion,
  vCpuCount: data.vCpuCount,
  tenancy: data.tenancy,
  imageOwner: data.imageOwner ?? null,
  ssmManaged: data.ssmManaged ?? null,
  stopProtection: data.stopProtection ?? null,
  observedAt: data.observedAt,
});

/**
 * Keeps the copy of the inventory in the consumer's transaction: the latest observation of each
 * instance stays (one older than the one kept changes nothing). Returns the facts when they are
 * the latest, so that the caller acts on them; a redelivered event is the latest again.
 */
export async function applyObservation(
  data: ResourceObservedData,
  trx: Transaction<any>,
): Promise<InstanceFacts | undefined> {
  const db = (trx as Transaction<InventoryViews>).withSchema(CONVERSION_SCHEMA);
  const facts = factsOf(data);
  const columns = { inactive: false, observed_at: data.observedAt, facts: JSON.stringify(facts) };
  const latest = await db
    .insertInto('inventory_instances')
    .values({ account_id: data.accountId, region: data.region, resource_id: data.resourceId, ...columns })
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'region', 'resource_id'])
        .doUpdateSet(columns)
        .where('inventory_instances.observed_at', '<=', new Date(data.observedAt)),
    )
    .returning('resource_id')
    .executeTakeFirst();
  return latest ? facts : undefined;
}

/** Not reported for 30 days: no longer an instance a conversion can find. */
export async function applyInactivation(
  key: { accountId: string; region: string; resourceId: string; inactivatedAt: string },
  trx: Transaction<any>,
): Promise<void> {
  await (trx as Transaction<InventoryViews>)
    .withSchema(CONVERSION_SCHEMA)
    .updateTable('inventory_instances')
    .set({ inactive: true })
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('resource_id', '=', key.resourceId)
    .where('observed_at', '<=', new Date(key.inactivatedAt))
    .execute();
}
