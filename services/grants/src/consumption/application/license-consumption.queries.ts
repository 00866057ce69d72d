import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock } from '@lm/service-kit';
import { entitlementUsages } from '../domain/decide';
import { ConsumableLicenses } from './license-consumption.licenses';
import { LicenseUsageStreams } from './license-usage-streams';

/** GetLicenseUsage, for the issuer and the licence's grantees. */
@Injectable()
export class LicenseConsumptionQueries {
  constructor(
    private readonly licenses: ConsumableLicenses,
    private readonly usage: LicenseUsageStreams,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** What each entitlement has in use now, from the usage stream (leases past their expiration do not count, swept or not). */
  async usageOf(caller: Caller, licenseArn: string): Promise<LicenseManager.GetLicenseUsageResponse> {
    const { terms } = await this.licenses.readable(caller, licenseArn);
    const state = await this.usage.current(terms.licenseArn);
    return { LicenseUsage: { EntitlementUsages: entitlementUsages(terms, state, this.clock.now()) } };
  }
}
