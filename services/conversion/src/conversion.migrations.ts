import type { ViewMigrations } from '@lm/service-kit';
import { inventoryInstancesViews } from './inventory/infra/migrations/001-inventory-instances';
import { conversionTasksViews } from './tasks/infra/migrations/002-conversion-tasks';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered.
 */
export const conversionMigrations: ViewMigrations = {
  '001-inventory-instances': inventoryInstancesViews,
  '002-conversion-tasks': conversionTasksViews,
};
