import { openServiceStore, type ServiceStore } from '@lm/service-kit';
import { migrateGrantsViews } from './database/migrations';
import { GRANTS_SCHEMA } from './database/schema';

export const SERVICE_NAME = 'grants';

export type GrantsInfrastructure = ServiceStore;

/** Connects to the database, applies migrations, and opens the event store with its projections. */
export function openGrantsInfrastructure(env = process.env): Promise<GrantsInfrastructure> {
  return openServiceStore({
    service: SERVICE_NAME,
    schema: GRANTS_SCHEMA,
    migrateViews: migrateGrantsViews,
    projections: [],
    env,
  });
}
