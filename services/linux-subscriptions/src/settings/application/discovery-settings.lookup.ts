import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { DiscoverySettings } from '../domain/discovery-settings';
import { discoveryOf, type Discovery } from './discovery';
import type { DiscoverySettingsViews } from './discovery-settings.views';

/** What the other slices ask of the settings: whose discovery is enabled, where, over which accounts. */
@Injectable()
export class DiscoverySettingsLookup {
  private readonly db: Kysely<DiscoverySettingsViews>;

  constructor(@Inject(DATABASE) db: Kysely<DiscoverySettingsViews>) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  /** The account's settings as saved (undefined: never set). */
  async settingsOf(accountId: string): Promise<DiscoverySettings | undefined> {
    const row = await this.db
      .selectFrom('discovery_settings')
      .select('state')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row?.state;
  }

  /** The account's own discovery; undefined while disabled or never set. */
  async of(accountId: string): Promise<Discovery | undefined> {
    const settings = await this.settingsOf(accountId);
    return settings && discoveryOf(settings);
  }

  /**
   * The enabled discoveries that cover an account's instances in a Region: its own, and its
   * management account's when that one discovers the whole organization.
   */
  async covering(accountId: string, region: string): Promise<Discovery[]> {
    const rows = await this.db
      .selectFrom('discovery_settings')
      .select('state')
      .where('discovery', '=', 'Enabled')
      .where(sql<boolean>`covered_account_ids @> ARRAY[${accountId}]::text[]`)
      .execute();
    return rows
      .map((row) => discoveryOf(row.state))
      .filter((discovery): discovery is Discovery => discovery?.sourceRegions.includes(region) === true);
  }
}
