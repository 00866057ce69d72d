import { Inject, Injectable } from '@nestjs/common';
import type { ProviderRegistrationDescription } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, CONFIG, DATABASE, EVENT_STORE, type Clock, type ConfigOf } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import type { ProviderRetrieval } from '../../subscription-providers/application/provider-retrievals';
import type { SubscriptionProviderViews } from '../../subscription-providers/application/subscription-provider.views';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { InventoryObservation, LinuxInstanceCommand } from '../domain/commands';
import { linuxInstanceDecider } from '../domain/decide';
import { coveredBy, visibleTo, type AccountRegion } from '../domain/discovery-scope';
import { linuxInstanceStream, type LinuxInstanceId } from '../domain/linux-instance';
import { DiscoveredInstanceLimitReached } from './discovered-instance-limit.guard';
import { DiscoveryScopes } from './discovery-scopes';
import type { InstanceViews } from './instance.views';
import type { instancesSettings } from '../instances.module';

/** Instances decided on in one read of a reconciliation, at most. */
const CHUNK = 500;

type Views = InstanceViews & SubscriptionProviderViews;

/**
 * Drives the instance aggregates from the inventory copy, the discovery settings and the
 * subscription provider's retrievals: every decision goes through the instance's stream
 * (handleCommand), so the discovered instances are exactly what their events say.
 */
@Injectable()
export class InstanceDiscovery {
  private readonly db: Kysely<Views>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<Views>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: ConfigOf<typeof instancesSettings>,
    private readonly scopes: DiscoveryScopes,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  /** Discovery saw the instance: classified when some account's discovery covers it. */
  async observed(id: LinuxInstanceId, observation: InventoryObservation): Promise<void> {
    const viewers = await this.scopes.viewersOf(id);
    if (viewers.length === 0) return;
    const providerRegistration = await this.registrationOf(id, viewers);
    await this.decide({ type: 'ObserveInstance', id, observation, providerRegistration, now: this.clock.now() });
  }

  /** Not reported for 30 days: no longer discovered. */
  async inactivated(id: LinuxInstanceId): Promise<void> {
    await this.decide({ type: 'ForgetInstance', id, reason: 'INACTIVE', now: this.clock.now() });
  }

  /**
   * Brings the discovered instances to what the settings and the inventory copy say: the covered
   * inventory's instances with a Linux subscription that are not discovered (discovery just turned
   * on, or an observation missed) are classified, up to each account and Region's limit; those no
   * discovery covers any more (turned off, a Region or the organization left) are gone, as the
   * guide says disabling discovery removes the discovered data.
   */
  async reconcile(): Promise<void> {
    const covered = coveredBy(await this.scopes.enabled());
    for (;;) {
      const stale = await this.uncovered(covered);
      for (const id of stale)
        await this.decide({ type: 'ForgetInstance', id, reason: 'DISCOVERY_DEACTIVATED', now: this.clock.now() });
      if (stale.length < CHUNK) break;
    }
    for (let after: LinuxInstanceId | undefined; ;) {
      const missing = await this.undiscovered(covered, after);
      for (const { id, observation } of missing) await this.observed(id, observation);
      if (missing.length < CHUNK) break;
      after = missing[missing.length - 1].id;
    }
  }

  /**
   * A provider's retrieval: its account's instances (and with organization integration its
   * organization's) it lists are registered with it, those it no longer lists are not.
   */
  async retrieved(retrieval: ProviderRetrieval): Promise<void> {
    const provider = await this.db
      .selectFrom('subscription_providers')
      .select('created_at')
      .where('arn', '=', retrieval.subscriptionProviderArn)
      .executeTakeFirst();
    const registered = provider ? retrieval.registeredInstanceIds : [];
    const before = await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .deleteFrom('provider_registrations')
        .where('subscription_provider_arn', '=', retrieval.subscriptionProviderArn)
        .returning('instance_id')
        .execute();
      if (provider && registered.length > 0)
        await trx
          .insertInto('provider_registrations')
          .values(
            [...new Set(registered)].map((instanceId) => ({
              subscription_provider_arn: retrieval.subscriptionProviderArn,
              account_id: retrieval.accountId,
              instance_id: instanceId,
              provider_created_at: provider.created_at.toISOString(),
              retrieved_at: retrieval.retrievedAt,
            })),
          )
          .execute();
      return rows.map((row) => row.instance_id);
    });
    const affected = [...new Set([...before, ...registered])];
    const seen = visibleTo(await this.scopes.of(retrieval.accountId));
    if (affected.length === 0 || seen.length === 0) return;
    const instances = await this.db
      .selectFrom('linux_subscription_instances')
      .select(['account_id', 'region', 'instance_id'])
      .where('instance_id', '=', sql<string>`any(${affected})`)
      .execute();
    for (const row of instances) {
      const id = { accountId: row.account_id, region: row.region, instanceId: row.instance_id };
      if (!seen.some((pair) => pair.accountId === id.accountId && pair.region === id.region)) continue;
      const providerRegistration = await this.registrationOf(id, await this.scopes.viewersOf(id));
      await this.decide({ type: 'RecordProviderRegistration', id, providerRegistration, now: this.clock.now() });
    }
  }

  private async decide(command: LinuxInstanceCommand): Promise<void> {
    try {
      await handleCommand(this.store, linuxInstanceStream(command.id), linuxInstanceDecider, command);
    } catch (error) {
      // Past the account and Region's limit the instance stays undiscovered (the Region's status says so).
      if (!(error instanceof DiscoveredInstanceLimitReached)) throw error;
    }
  }

  /** The registration of the instance with a provider of an account whose discovery sees it, the latest retrieved. */
  private async registrationOf(
    id: LinuxInstanceId,
    viewers: string[],
  ): Promise<ProviderRegistrationDescription | undefined> {
    if (viewers.length === 0) return undefined;
    const row = await this.db
      .selectFrom('provider_registrations')
      .selectAll()
      .where('instance_id', '=', id.instanceId)
      .where('account_id', '=', sql<string>`any(${viewers})`)
      .orderBy('retrieved_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return (
      row && {
        subscriptionProviderArn: row.subscription_provider_arn,
        subscriptionProviderCreateTime: row.provider_created_at,
        subscriptionProviderUpdateTime: row.retrieved_at,
      }
    );
  }

  /** Discovered instances of accounts and Regions no discovery covers. */
  private async uncovered(covered: AccountRegion[]): Promise<LinuxInstanceId[]> {
    const rows = await this.db
      .selectFrom('linux_subscription_instances as l')
      .select(['l.account_id', 'l.region', 'l.instance_id'])
      .where(({ not, exists }) => not(exists(coveredPairs(covered, 'l'))))
      .limit(CHUNK)
      .execute();
    return rows.map((row) => ({ accountId: row.account_id, region: row.region, instanceId: row.instance_id }));
  }

  /**
   * Covered inventory instances with a Linux subscription that are not discovered, in instance id
   * order after `after`; none of an account and Region already at its limit. (A discovered one is
   * kept up to date by the consumer, which decides on every observation of a covered instance.)
   */
  private async undiscovered(covered: AccountRegion[], after: LinuxInstanceId | undefined) {
    if (covered.length === 0) return [];
    const from = after ?? { instanceId: '', accountId: '', region: '' };
    const rows = await this.db
      .selectFrom('inventory_instances as i')
      .leftJoin('linux_subscription_instances as l', (join) =>
        join
          .onRef('l.account_id', '=', 'i.account_id')
          .onRef('l.region', '=', 'i.region')
          .onRef('l.instance_id', '=', 'i.instance_id'),
      )
      .leftJoin('discovered_instance_counts as c', (join) =>
        join.onRef('c.account_id', '=', 'i.account_id').onRef('c.region', '=', 'i.region'),
      )
      .select(['i.account_id', 'i.region', 'i.instance_id', 'i.observation'])
      .where('i.subscription_name', 'is not', null)
      .where('i.inactive', '=', false)
      .where('i.state', '!=', 'terminated')
      .where(
        sql<boolean>`(i.instance_id, i.account_id, i.region) > (${from.instanceId}, ${from.accountId}, ${from.region})`,
      )
      .where(({ exists }) => exists(coveredPairs(covered, 'i')))
      .where('l.instance_id', 'is', null)
      .where(sql<boolean>`coalesce(c.count, 0) < ${this.config.linuxInstanceLimit}`)
      .orderBy('i.instance_id')
      .orderBy('i.account_id')
      .orderBy('i.region')
      .limit(CHUNK)
      .execute();
    return rows.map((row) => ({
      id: { accountId: row.account_id, region: row.region, instanceId: row.instance_id },
      observation: row.observation,
    }));
  }
}

/** `exists (covered pair of <alias>'s account and Region)`: the pairs travel as two arrays. */
function coveredPairs(covered: AccountRegion[], alias: 'i' | 'l') {
  const accounts = covered.map((pair) => pair.accountId);
  const regions = covered.map((pair) => pair.region);
  return sql`(select 1 from unnest(${accounts}::text[], ${regions}::text[]) as covered(account_id, region)
    where covered.account_id = ${sql.ref(`${alias}.account_id`)} and covered.region = ${sql.ref(`${alias}.region`)})`;
}
