import { eventSubject } from '@lm/messaging';
import { defineService, masterKeySettings } from '@lm/service-kit';
import { ConsumptionModule, consumptionSettings } from './consumption/consumption.module';
import { licenseConsumptionsProjection } from './consumption/application/license-consumption.projection';
import { LicenseConsumptionSweep } from './consumption/application/license-consumption.sweep';
import { licenseUsageEpochsProjection } from './consumption/application/license-usage-epoch.projection';
import { grantsMigrations } from './grants.migrations';
import { GrantsModule, grantsSettings } from './grants/grants.module';
import { GRANT_DISTRIBUTION_SUBSCRIPTION, GrantDistribution } from './grants/application/grant-distribution.consumer';
import { grantsProjection } from './grants/application/grant.projection';
import { licenseGrantQuotaGuard } from './grants/application/license-grant-quota.guard';
import {
  ORGANIZATION_INTEGRATIONS_CONSUMER,
  OrganizationIntegrationConsumer,
} from './grants/application/organization-integration.consumer';
import { LicensesModule, licensesSettings } from './licenses/licenses.module';
import { LicenseExpirySweep } from './licenses/application/license-expiry.sweep';
import { licensesProjection } from './licenses/application/license.projection';
import { GRANTS_SCHEMA } from './shared/schema';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { signingKeysProjection } from './signing-keys/application/signing-key.projection';
import { refreshTokensProjection } from './tokens/application/refresh-token.projection';
import { TokensModule, tokensSettings } from './tokens/tokens.module';

/** The settings of every slice (each slice declares its own), read and validated once at start. */
export const grantsServiceSettings = {
  ...licensesSettings,
  ...grantsSettings,
  ...consumptionSettings,
  ...tokensSettings,
  ...masterKeySettings,
};

/**
 * The grants service: managed entitlements, as five slices (licences, grants, consumption,
 * signing keys, tokens), each a feature module with its own domain, application and infra. Its
 * events go out on lm.events.grants.*; it follows licensing's ServiceSettingsUpdated (organization
 * links, for grant auto-acceptance), distributes organization and OU grants from its own events,
 * and sweeps expired leases and licences past their validity.
 */
export const GrantsService = defineService({
  name: 'grants',
  schema: GRANTS_SCHEMA,
  migrations: grantsMigrations,
  config: grantsServiceSettings,
  projections: [
    licensesProjection,
    grantsProjection,
    refreshTokensProjection,
    signingKeysProjection,
    licenseConsumptionsProjection,
    licenseUsageEpochsProjection,
  ],
  guards: (config) => [licenseGrantQuotaGuard(config.grantsPerLicense)],
  consumers: [
    {
      durableName: ORGANIZATION_INTEGRATIONS_CONSUMER,
      subject: eventSubject('licensing', 'ServiceSettingsUpdated'),
      handler: OrganizationIntegrationConsumer,
    },
  ],
  subscriptions: [{ name: GRANT_DISTRIBUTION_SUBSCRIPTION, handler: GrantDistribution }],
  schedules: [
    { task: LicenseConsumptionSweep, intervalMs: (config) => config.consumptionSweepMs },
    { task: LicenseExpirySweep, intervalMs: (config) => config.licenseExpirySweepMs },
  ],
  imports: [LicensesModule, GrantsModule, ConsumptionModule, SigningKeysModule, TokensModule],
});
