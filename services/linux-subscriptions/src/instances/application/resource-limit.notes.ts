import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CONFIG, DATABASE, type ConfigOf } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { RegionNotes } from '../../settings/application/region-notes';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { visibleTo } from '../domain/discovery-scope';
import type { instancesSettings } from '../instances.module';
import { DiscoveryScopes } from './discovery-scopes';
import type { InstanceViews } from './instance.views';

/**
 * The guide's "up to 5,000 resources per account per AWS Region": a source Region where an account
 * the caller's discovery covers has more instances with a Linux subscription than discovered says
 * so in its StatusMessage.
 */
@Injectable()
export class ResourceLimitNotes implements OnModuleInit {
  private readonly db: Kysely<InstanceViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<InstanceViews>,
    @Inject(CONFIG) private readonly config: ConfigOf<typeof instancesSettings>,
    private readonly scopes: DiscoveryScopes,
    private readonly notes: RegionNotes,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  onModuleInit(): void {
    this.notes.add((accountId) => this.of(accountId));
  }

  /** By Region: how many instances are left undiscovered past the limit. */
  async of(accountId: string): Promise<Record<string, string>> {
    const pairs = visibleTo(await this.scopes.of(accountId));
    if (pairs.length === 0) return {};
    const limit = this.config.linuxInstanceLimit;
    const rows = await this.db
      .selectFrom('inventory_instances as i')
      .innerJoin('discovered_instance_counts as c', (join) =>
        join.onRef('c.account_id', '=', 'i.account_id').onRef('c.region', '=', 'i.region'),
      )
      .select(['i.region', sql<string>`count(*)`.as('undiscovered')])
      .where('i.subscription_name', 'is not', null)
      .where('i.inactive', '=', false)
      .where('i.state', '!=', 'terminated')
      .where('c.count', '>=', limit)
      .where(
        sql<boolean>`exists (select 1 from unnest(${pairs.map((p) => p.accountId)}::text[], ${pairs.map((p) => p.region)}::text[]) as seen(account_id, region)
          where seen.account_id = i.account_id and seen.region = i.region)`,
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('linux_subscription_instances as l')
              .select('l.instance_id')
              .whereRef('l.account_id', '=', 'i.account_id')
              .whereRef('l.region', '=', 'i.region')
              .whereRef('l.instance_id', '=', 'i.instance_id'),
          ),
        ),
      )
      .groupBy('i.region')
      .execute();
    return Object.fromEntries(
      rows.map((row) => [
        row.region,
        `Resource limit exceeded - ${limit} resources per account per Region discovered, ${row.undiscovered} more not discovered`,
      ]),
    );
  }
}
