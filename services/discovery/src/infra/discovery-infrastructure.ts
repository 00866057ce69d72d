import { openServiceStore, type ServiceStore } from '@lm/service-kit';
import { inventoryResourcesProjection } from '../application/inventory-resources.projection';
import { migrateDiscoveryViews } from './database/migrations';
import { DISCOVERY_SCHEMA } from './database/schema';

export const SERVICE_NAME = 'discovery';

/** How often the inactivity sweep runs (LM_DISCOVERY_SWEEP_INTERVAL_MS, default hourly). */
export function sweepIntervalMs(env = process.env): number {
  const value = Number(env.LM_DISCOVERY_SWEEP_INTERVAL_MS ?? 3_600_000);
  if (!Number.isInteger(value) || value < 1)
    throw new Error('LM_DISCOVERY_SWEEP_INTERVAL_MS must be a positive integer');
  return value;
}

/** The Region this deployment serves: where reports published on NATS without a Region are. */
export function deploymentRegion(env = process.env): string {
  return env.LM_REGION ?? 'us-east-1';
}

export type DiscoveryInfrastructure = ServiceStore;

/** Connects to the database, applies migrations, and opens the event store with its projection. */
export function openDiscoveryInfrastructure(env = process.env): Promise<DiscoveryInfrastructure> {
  return openServiceStore({
    service: SERVICE_NAME,
    schema: DISCOVERY_SCHEMA,
    migrateViews: migrateDiscoveryViews,
    projections: [inventoryResourcesProjection],
    env,
  });
}
