import { eventSubject, operationSubject } from '@lm/messaging';
import { defineService } from '@lm/service-kit';
import { conversionMigrations } from './conversion.migrations';
import { InventoryModule } from './inventory/inventory.module';
import { CONVERSION_SCHEMA } from './shared/schema';
import { conversionTasksProjection } from './tasks/application/conversion-task.projection';
import { ConversionTimeoutSweep } from './tasks/application/conversion-timeout.sweep';
import { InventoryConsumer } from './tasks/application/inventory.consumer';
import { ConversionResultEndpoint } from './tasks/infra/conversion-result.endpoint';
import { TasksModule, tasksSettings } from './tasks/tasks.module';

/**
 * The conversion service: license type conversion (the guide's chapter) in two slices: inventory
 * (its copy of discovery's EC2 instances) and tasks (validation against the conversion matrix,
 * the task IN_PROGRESS -> SUCCEEDED | FAILED, the integrator's LicenseConversionRequested and
 * ReportConversionResult, the timeout). Its events go out on lm.events.conversion.*.
 */
export const ConversionService = defineService({
  name: 'conversion',
  schema: CONVERSION_SCHEMA,
  migrations: conversionMigrations,
  config: tasksSettings,
  projections: [conversionTasksProjection],
  consumers: [
    { durableName: 'conversion-inventory', subject: eventSubject('discovery', '>'), handler: InventoryConsumer },
  ],
  endpoints: [{ subject: operationSubject('conversion', 'ReportConversionResult'), handler: ConversionResultEndpoint }],
  schedules: [{ task: ConversionTimeoutSweep, intervalMs: (config) => config.conversionSweepMs }],
  imports: [InventoryModule, TasksModule],
});
