import { Injectable } from '@nestjs/common';
import type { Caller } from '@lm/contracts';
import { ServiceSettingsQueries } from '../../settings/application/service-settings.queries';

/**
 * Which accounts' configurations a caller may see and consume. The guide: the management account
 * creates self-managed licenses once and shares them with its organization by linking the
 * organization in License Manager's settings; member accounts then use them. No one else can.
 */
@Injectable()
export class ConfigurationSharing {
  constructor(private readonly settings: ServiceSettingsQueries) {}

  /** The caller's own account, and its management account when that shares with the organization. */
  async usableOwners(caller: Pick<Caller, 'accountId' | 'region' | 'organization'>): Promise<Set<string>> {
    const owners = new Set([caller.accountId]);
    const management = caller.organization?.managementAccountId;
    if (
      management &&
      management !== caller.accountId &&
      (await this.sharesWithOrganization(management, caller.region, caller.organization!.id))
    ) {
      owners.add(management);
    }
    return owners;
  }

  private async sharesWithOrganization(
    managementAccountId: string,
    region: string,
    organizationId: string,
  ): Promise<boolean> {
    const settings = await this.settings.settingsOf(managementAccountId, region);
    return settings.organizationIntegration && settings.organizationId === organizationId;
  }
}
