import type { DiscoveryEventMessage } from '@lm/contracts';
import { sql, type Transaction } from 'kysely';
import type { ResourceFacts } from '../../shared/resource';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { InventoryViews } from './inventory.views';

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/**
 * Keeps licensing's copy of the inventory: the facts that licences are counted and rules are
 * checked on. Run by a durable consumer of lm.events.discovery.>, in the transaction that also
 * records the event as processed; an older observation never overwrites a newer one. Returns the
 * resource's facts when they changed.
 */
export async function applyInventoryEvent(
  event: DiscoveryEventMessage,
  trx: Transaction<any>,
): Promise<ResourceFacts | undefined> {
  const db = (trx as Transaction<InventoryViews>).withSchema(LICENSING_SCHEMA);
  if (event.type === 'ResourceObserved') {
    const data = event.data;
    const facts: ResourceFacts = {
      resourceArn: data.resourceArn,
      resourceId: data.resourceId,
      resourceType: data.resourceType,
      accountId: data.accountId,
      region: data.region,
      state: data.state,
      vCpuCount: orUndefined(data.vCpuCount),
      coreCount: orUndefined(data.coreCount),
      socketCount: orUndefined(data.socketCount),
      threadsPerCore: orUndefined(data.threadsPerCore),
      tenancy: orUndefined(data.tenancy),
      hostId: orUndefined(data.hostId),
      amiId: orUndefined(data.amiId),
      instanceType: orUndefined(data.instanceType),
      platform: orUndefined(data.platform),
      usageOperation: orUndefined(data.usageOperation),
      licenseIncluded: data.licenseIncluded ?? [],
      tags: data.tags ?? {},
      applications: data.applications ?? [],
      productCodes: data.productCodes ?? [],
      billingProducts: data.billingProducts ?? [],
      stopProtection: orUndefined(data.stopProtection ?? null),
      imageOwner: orUndefined(data.imageOwner ?? null),
      ssmManaged: orUndefined(data.ssmManaged ?? null),
      active: true,
    };
    const row = {
      account_id: data.accountId,
      region: data.region,
      resource_type: data.resourceType,
      state: data.state,
      active: true,
      observed_at: data.observedAt,
      facts: JSON.stringify(facts),
    };
    const stored = await db
      .insertInto('resources')
      .values({ resource_arn: data.resourceArn, ...row })
      .onConflict((oc) =>
        oc.column('resource_arn').doUpdateSet(row).where('resources.observed_at', '<=', new Date(data.observedAt)),
      )
      .returning('facts')
      .executeTakeFirst();
    // Nothing returned: an older observation than the one stored, which changes nothing.
    return stored?.facts;
  } else if (event.type === 'ResourceInactivated') {
    const { resourceArn } = event.data;
    const stored = await db
      .updateTable('resources')
      .set({ active: false, facts: sql`jsonb_set(facts, '{active}', 'false')` })
      .where('resource_arn', '=', resourceArn)
      .returning('facts')
      .executeTakeFirst();
    return stored?.facts;
  }
  return undefined;
}
