import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { discoveryOf, type Discovery } from '../../settings/application/discovery';
import { DiscoverySettingsLookup } from '../../settings/application/discovery-settings.lookup';
import type { DiscoverySettingsViews } from '../../settings/application/discovery-settings.views';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { AccountRegion, DiscoveryScope } from '../domain/discovery-scope';

const scopeOf = (discovery: Discovery): DiscoveryScope => ({
  accountId: discovery.accountId,
  sourceRegions: discovery.sourceRegions,
  organizationAccountIds: discovery.organizationWide ? discovery.coveredAccountIds : undefined,
});

/** The discovery settings as instances read them (the settings slice's lookup and view). */
@Injectable()
export class DiscoveryScopes {
  private readonly db: Kysely<DiscoverySettingsViews>;

  constructor(
    private readonly lookup: DiscoverySettingsLookup,
    @Inject(DATABASE) db: Kysely<DiscoverySettingsViews>,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  /** The account's own discovery; undefined while it is off. */
  async of(accountId: string): Promise<DiscoveryScope | undefined> {
    const discovery = await this.lookup.of(accountId);
    return discovery && scopeOf(discovery);
  }

  /** The accounts whose discovery covers an account's instances in a Region: its own, its management account's. */
  async viewersOf({ accountId, region }: AccountRegion): Promise<string[]> {
    return (await this.lookup.covering(accountId, region)).map((discovery) => discovery.accountId);
  }

  /** Every account's discovery that is on. */
  async enabled(): Promise<DiscoveryScope[]> {
    const rows = await this.db
      .selectFrom('discovery_settings')
      .select('state')
      .where('discovery', '=', 'Enabled')
      .execute();
    return rows.flatMap((row) => {
      const discovery = discoveryOf(row.state);
      return discovery ? [scopeOf(discovery)] : [];
    });
  }
}
