import { openServiceStore, type ServiceStore } from '@lm/service-kit';
import { licenseConfigurationQuotaGuard } from '../application/license-configuration-quota.guard';
import { licenseConfigurationAssociationsProjection } from '../application/license-configuration-associations.projection';
import { licenseConfigurationsProjection } from '../application/license-configurations.projection';
import { serviceSettingsProjection } from '../application/service-settings.projection';
import { migrateLicensingViews } from './database/migrations';
import { LICENSING_SCHEMA } from './database/schema';

export const SERVICE_NAME = 'licensing';

/** The quota of license configurations per account and Region (the guide's 25; adjustable). */
export function licenseConfigurationQuota(env = process.env): number {
  const value = Number(env.LM_QUOTA_LICENSE_CONFIGURATIONS ?? 25);
  if (!Number.isInteger(value) || value < 1)
    throw new Error('LM_QUOTA_LICENSE_CONFIGURATIONS must be a positive integer');
  return value;
}

/** How often licence affinity holds that are due are ended (LM_AFFINITY_SWEEP_MS; the guide: "within 24 hours"). */
export function affinitySweepIntervalMs(env = process.env): number {
  return Number(env.LM_AFFINITY_SWEEP_MS ?? 60 * 60 * 1000);
}

export type LicensingInfrastructure = ServiceStore;

/** Connects to the database, applies migrations, and opens the event store with its projections. */
export function openLicensingInfrastructure(env = process.env): Promise<LicensingInfrastructure> {
  return openServiceStore({
    service: SERVICE_NAME,
    schema: LICENSING_SCHEMA,
    migrateViews: migrateLicensingViews,
    projections: [
      licenseConfigurationsProjection,
      licenseConfigurationAssociationsProjection,
      serviceSettingsProjection,
      licenseConfigurationQuotaGuard(licenseConfigurationQuota(env)),
    ],
    env,
  });
}
