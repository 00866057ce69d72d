import { createEventStore, eventStoreKindFromEnv, migrateEventStoreSchema, type EventStore } from '@lm/event-store';
import { createDatabase, databaseUrlFor } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { inventoryResourcesProjection } from '../application/inventory-resources.projection';
import { migrateDiscoveryViews } from './database/migrations';
import { DISCOVERY_SCHEMA } from './database/schema';

export const SERVICE_NAME = 'discovery';

/** How often the inactivity sweep runs (LM_DISCOVERY_SWEEP_INTERVAL_MS, default hourly). */
export function sweepIntervalMs(env = process.env): number {
  const value = Number(env.LM_DISCOVERY_SWEEP_INTERVAL_MS ?? 3_600_000);
  if (!Number.isInteger(value) || value < 1) throw new Error('LM_DISCOVERY_SWEEP_INTERVAL_MS must be a positive integer');
  return value;
}

/** The Region this deployment serves: where reports published on NATS without a Region are. */
export function deploymentRegion(env = process.env): string {
  return env.LM_REGION ?? 'us-east-1';
}

export interface DiscoveryInfrastructure {
  db: Kysely<any>;
  store: EventStore;
}

/** Connects to the database, applies migrations, and opens the event store with its projection. */
export async function openDiscoveryInfrastructure(env = process.env): Promise<DiscoveryInfrastructure> {
  const db = createDatabase<any>(databaseUrlFor(SERVICE_NAME, env));
  await migrateEventStoreSchema(db, DISCOVERY_SCHEMA);
  await migrateDiscoveryViews(db);
  const { kind, eventStoreUrl } = eventStoreKindFromEnv(env);
  const store = await createEventStore({ kind, eventStoreUrl, db, schema: DISCOVERY_SCHEMA, projections: [inventoryResourcesProjection] });
  return { db, store };
}
