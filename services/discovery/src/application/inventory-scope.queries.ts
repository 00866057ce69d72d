import { Inject, Injectable } from '@nestjs/common';
import type { InventoryViewer } from '@lm/contracts';
import { DATABASE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { DISCOVERY_SCHEMA } from '../schema';
import type { ServiceSettingsViews } from './service-settings.views';

/** The accounts whose resources a caller sees, and whether that is the cross-account view. */
export interface InventoryScope {
  accountIds: string[];
  crossAccount: boolean;
}

@Injectable()
export class InventoryScopes {
  private readonly db: Kysely<ServiceSettingsViews>;

  constructor(@Inject(DATABASE) db: Kysely<ServiceSettingsViews>) {
    this.db = db.withSchema(DISCOVERY_SCHEMA);
  }

  /**
   * An account sees its own resources. The management account sees its organization's once it
   * has integrated with the organization and enabled cross-account discovery in the caller's
   * Region (licensing's UpdateServiceSettings).
   */
  async of(caller: InventoryViewer): Promise<InventoryScope> {
    const own: InventoryScope = { accountIds: [caller.accountId], crossAccount: false };
    const organization = caller.organization;
    if (organization?.managementAccountId !== caller.accountId || !organization.memberAccountIds) return own;
    const settings = await this.db
      .selectFrom('service_settings')
      .selectAll()
      .where('account_id', '=', caller.accountId)
      .where('region', '=', caller.region)
      .executeTakeFirst();
    const enabled =
      settings?.enable_cross_accounts_discovery &&
      settings.organization_integration &&
      (settings.organization_id === null || settings.organization_id === organization.id);
    return enabled ? { accountIds: organization.memberAccountIds, crossAccount: true } : own;
  }
}
