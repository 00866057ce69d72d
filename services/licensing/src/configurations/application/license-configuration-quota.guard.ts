import { defineGuard, precompiled } from '@lm/event-store';
import { sql, type Kysely } from 'kysely';
import { resourceLimitExceeded } from '@lm/contracts';
import type { LicenseConfigurationEvent } from '../domain/events';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from './license-configuration.views';

/**
 * Adds each account's delta to its count in a Region, in the order of accounts and Regions (two
 * transactions lock the counters they share in the same order), and returns the counts.
 */
const countConfigurations = precompiled(
  (db: Kysely<LicenseConfigurationViews>, p: { owners: string[]; regions: string[]; deltas: number[] }) => sql<{
    owner_account_id: string;
    region: string;
    count: number;
  }>`
    insert into ${sql.table(`${LICENSING_SCHEMA}.license_configuration_counts`)} (owner_account_id, region, count)
    select d.owner_account_id, d.region, sum(d.delta)::integer
    from unnest(${p.owners}::text[], ${p.regions}::text[], ${p.deltas}::integer[]) as d(owner_account_id, region, delta)
    group by d.owner_account_id, d.region
    order by d.owner_account_id, d.region
    on conflict (owner_account_id, region) do update set count = license_configuration_counts.count + excluded.count
    returning owner_account_id, region, count`,
);

/**
 * Counts configurations per account and region, and enforces the quota (the guide: 25 per
 * Region, adjustable like an AWS service quota). It runs in the append's transaction: the
 * counter row's lock orders concurrent creates of one account, and a create that would pass
 * the quota throws, which rolls its append back. So the quota holds under any load. The count
 * is sent without waiting and checked before the append commits (StatementPipeline), so it
 * shares its round trip with the views' statements behind it.
 */
export function licenseConfigurationQuotaGuard(quota: number) {
  return defineGuard<LicenseConfigurationEvent, LicenseConfigurationViews>()({
    name: 'license-configuration-quota',
    eventTypes: ['LicenseConfigurationCreated', 'LicenseConfigurationDeleted'],
    async handle(events, trx, pipeline) {
      /** Each account and Region's delta, by `owner\nregion`. */
      const deltas = new Map<string, { owner: string; region: string; delta: number }>();
      for (const event of events) {
        const { ownerAccountId: owner, region } = event.data;
        const key = `${owner}\n${region}`;
        const counted = deltas.get(key) ?? { owner, region, delta: 0 };
        counted.delta += event.type === 'LicenseConfigurationCreated' ? 1 : -1;
        deltas.set(key, counted);
      }
      if (deltas.size === 0) return;
      const counted = [...deltas.values()];
      const params = {
        owners: counted.map((c) => c.owner),
        regions: counted.map((c) => c.region),
        deltas: counted.map((c) => c.delta),
      };
      pipeline.send(countConfigurations.bind(trx, params), ({ rows }) => {
        for (const row of rows) {
          // A batch over the quota is refused whole; its creates are then appended one by one (NewStreamBatcher).
          if (deltas.get(`${row.owner_account_id}\n${row.region}`)!.delta > 0 && row.count > quota) {
            throw resourceLimitExceeded(`An account can have at most ${quota} license configurations in a Region.`);
          }
        }
      });
    },
    async truncate(db) {
      await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configuration_counts').execute();
    },
  });
}
