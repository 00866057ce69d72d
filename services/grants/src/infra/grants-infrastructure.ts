import { migrateViews, openServiceStore, type ServiceStore } from '@lm/service-kit';
import { grantsProjection } from '../grants/application/grant.projection';
import { licenseConsumptionsProjection } from '../consumption/application/license-consumption.projection';
import { licenseUsageEpochsProjection } from '../consumption/application/license-usage-epoch.projection';
import { millisecondsFromEnv } from '../consumption/application/license-consumption.settings';
import { licenseGrantQuotaProjection } from '../grants/application/license-grant-quota.guard';
import { licensesProjection } from '../licenses/application/license.projection';
import { MasterKey } from '../shared/master-key';
import { refreshTokensProjection } from '../tokens/application/refresh-token.projection';
import { signingKeysProjection } from '../signing-keys/application/signing-key.projection';
import { grantsMigrations } from '../grants.migrations';
import { GRANTS_SCHEMA } from '../shared/schema';

export const SERVICE_NAME = 'grants';

/**
 * The development master key: public, so that `npm start` works out of the box, and therefore
 * refused in production, where LM_MASTER_KEY (32 bytes, base64) must be set.
 */
export const DEVELOPMENT_MASTER_KEY = 'bGljZW5zZS1tYW5hZ2VyLWRldmVsb3BtZW50LWtleSE=';

export function masterKeyFromEnv(env = process.env): MasterKey {
  const configured = env.LM_MASTER_KEY;
  if (!configured && env.NODE_ENV === 'production') {
    throw new Error('LM_MASTER_KEY must be set in production (32 random bytes, base64); the development key is public');
  }
  if (configured === DEVELOPMENT_MASTER_KEY && env.NODE_ENV === 'production') {
    throw new Error('LM_MASTER_KEY is the public development key; production needs its own');
  }
  const key = Buffer.from(configured ?? DEVELOPMENT_MASTER_KEY, 'base64');
  if (key.length !== 32) throw new Error('LM_MASTER_KEY must be 32 bytes, base64-encoded');
  return new MasterKey(key);
}

/** The most live refresh tokens an account may hold for one licence (LM_QUOTA_TOKENS_PER_LICENSE, default 100). */
export function tokensPerLicenseQuota(env = process.env): number {
  const value = Number(env.LM_QUOTA_TOKENS_PER_LICENSE ?? 100);
  if (!Number.isInteger(value) || value < 1) throw new Error('LM_QUOTA_TOKENS_PER_LICENSE must be a positive integer');
  return value;
}

/** The most grants a licence may have (the guide's 2,000; LM_QUOTA_GRANTS_PER_LICENSE adjusts it). */
export function grantsPerLicenseQuota(env = process.env): number {
  const value = Number(env.LM_QUOTA_GRANTS_PER_LICENSE ?? 2000);
  if (!Number.isInteger(value) || value < 1) throw new Error('LM_QUOTA_GRANTS_PER_LICENSE must be a positive integer');
  return value;
}

/** How often licences past their Validity.End are recorded as EXPIRED (LM_LICENSE_EXPIRY_SWEEP_MS, default 60 s). */
export const licenseExpirySweepMs = (env = process.env): number =>
  millisecondsFromEnv(env, 'LM_LICENSE_EXPIRY_SWEEP_MS', 60_000, 1);

export type GrantsInfrastructure = ServiceStore;

/** Connects to the database, applies migrations, and opens the event store with its projections. */
export function openGrantsInfrastructure(env = process.env): Promise<GrantsInfrastructure> {
  return openServiceStore({
    service: SERVICE_NAME,
    schema: GRANTS_SCHEMA,
    migrateViews: (db) => migrateViews(db, GRANTS_SCHEMA, grantsMigrations),
    projections: [
      licensesProjection,
      grantsProjection,
      licenseGrantQuotaProjection(grantsPerLicenseQuota(env)),
      refreshTokensProjection,
      signingKeysProjection,
      licenseConsumptionsProjection,
      licenseUsageEpochsProjection,
    ],
    env,
  });
}
