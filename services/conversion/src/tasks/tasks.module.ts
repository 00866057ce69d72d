import { Module } from '@nestjs/common';
import { milliseconds } from '@lm/service-kit';
import { InventoryModule } from '../inventory/inventory.module';
import { ConversionTaskCommands } from './application/conversion-task.commands';
import { ConversionTaskQueries } from './application/conversion-task.queries';
import { ConversionTimeoutSweep } from './application/conversion-timeout.sweep';
import { InventoryConsumer } from './application/inventory.consumer';
import { ConversionResultEndpoint } from './infra/conversion-result.endpoint';
import { ConversionTasksController } from './infra/conversion-tasks.controller';

/** The tasks slice's settings, read with the service's when it starts. */
export const tasksSettings = {
  /** LM_CONVERSION_TIMEOUT: how long a task waits for its result before it fails (milliseconds; 1 hour). */
  conversionTimeoutMs: milliseconds('LM_CONVERSION_TIMEOUT', 60 * 60 * 1000),
  /** LM_CONVERSION_SWEEP_MS: how often tasks in progress are checked against that timeout. */
  conversionSweepMs: milliseconds('LM_CONVERSION_SWEEP_MS', 60 * 1000),
};

/**
 * License type conversion tasks: CreateLicenseConversionTaskForResource (validated against the
 * inventory's copy and the conversion matrix), GetLicenseConversionTask, ListLicenseConversionTasks,
 * the integrator's ReportConversionResult, the inventory's observations and the timeout sweep.
 */
@Module({
  imports: [InventoryModule],
  controllers: [ConversionTasksController],
  providers: [
    ConversionTaskCommands,
    ConversionTaskQueries,
    InventoryConsumer,
    ConversionTimeoutSweep,
    ConversionResultEndpoint,
  ],
})
export class TasksModule {}
