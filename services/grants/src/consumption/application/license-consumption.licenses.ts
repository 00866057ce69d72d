import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import type { Kysely } from 'kysely';
import { DATABASE } from '@lm/service-kit';
import { licenseIdOf } from '../domain/license-usage';
import { licenseTerms, type LicenseTerms } from '../domain/license-terms';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { ConsumptionViews } from './license-consumption.views';
import { LicenseAccess, type AccessibleLicense, type LicenseSelector } from '../../grants/application/license-access';
import { ConsumptionSettings } from './license-consumption.settings';

/** A licence the caller may consume, with its terms. */
export interface ConsumableLicense {
  accessible: AccessibleLicense;
  terms: LicenseTerms;
}

const MAX_CACHED = 10_000;

/** Who the caller is, as far as LicenseAccess can tell callers apart. */
const callerKey = (caller: Caller) =>
  [
    caller.accountId,
    caller.restrictedToLicenseArn ?? '',
    caller.organization?.id ?? '',
    ...(caller.organization?.organizationalUnitPath ?? []),
  ].join('|');

/**
 * The licences consumption works on, looked up through LicenseAccess and the usage epochs. A hot
 * licence is checked out many times a second by the same callers: the answer to one lookup is
 * reused for ConsumptionSettings.licenseCacheMs (concurrent lookups share one), so a change of a
 * licence or grant reaches consumption within that time.
 */
@Injectable()
export class ConsumableLicenses {
  private readonly db: Kysely<ConsumptionViews>;
  private readonly cache = new Map<string, { until: number; licenses: Promise<ConsumableLicense[]> }>();

  constructor(
    private readonly access: LicenseAccess,
    @Inject(DATABASE) db: Kysely<ConsumptionViews>,
    private readonly settings: ConsumptionSettings,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** The licences the caller may use for `operation` now (LicenseAccess.usableLicenses), with their terms. */
  usable(
    caller: Caller,
    operation: LicenseManager.AllowedOperation,
    selector: LicenseSelector,
  ): Promise<ConsumableLicense[]> {
    const key = `${callerKey(caller)}#${operation}#${JSON.stringify(selector)}`;
    const now = performance.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.licenses;
    const licenses = this.lookUp(caller, operation, selector);
    if (this.settings.licenseCacheMs > 0) {
      this.cache.delete(key);
      this.cache.set(key, { until: now + this.settings.licenseCacheMs, licenses });
      if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      licenses.catch(() => this.cache.delete(key));
    }
    return licenses;
  }

  /** The licence if the caller may read it (LicenseAccess.readableLicense), with its terms; never cached. */
  async readable(caller: Caller, licenseArn: string): Promise<ConsumableLicense> {
    const accessible = await this.access.readableLicense(caller, licenseArn);
    const [terms] = await this.withTerms([accessible]);
    return terms;
  }

  private async lookUp(
    caller: Caller,
    operation: LicenseManager.AllowedOperation,
    selector: LicenseSelector,
  ): Promise<ConsumableLicense[]> {
    return this.withTerms(await this.access.usableLicenses(caller, operation, selector));
  }

  private async withTerms(licenses: AccessibleLicense[]): Promise<ConsumableLicense[]> {
    if (licenses.length === 0) return [];
    const rows = await this.db
      .selectFrom('license_usage_epochs')
      .select(['license_id', 'usage_epoch'])
      .where(
        'license_id',
        'in',
        licenses.map((l) => licenseIdOf(l.license.LicenseArn)),
      )
      .execute();
    const epochs = new Map(rows.map((row) => [row.license_id, row.usage_epoch]));
    return licenses.map((accessible) => ({
      accessible,
      terms: licenseTerms(accessible.license, epochs.get(licenseIdOf(accessible.license.LicenseArn)) ?? 0),
    }));
  }
}
