import { Global, Module } from '@nestjs/common';
import { CommandBatcher, type EventStore } from '@lm/event-store';
import { EVENT_STORE } from '@lm/service-kit';
import { PRODUCT_INFORMATION_CHANGES } from '../configurations/application/product-information-changes';
import { ConfigurationsModule } from '../configurations/configurations.module';
import { INVENTORY_DIRECTORY } from './application/inventory-directory';
import { InventoryLookup } from './application/inventory-lookup';
import { LicenseTypeConversionsConsumer } from './application/license-type-conversions.consumer';
import { InventoryConsumer } from './application/inventory.consumer';
import { LaunchAdmission } from './application/launch-admission.commands';
import { LicenseAffinitySweep } from './application/license-affinity.sweep';
import { LicenseSpecificationCommands } from './application/license-specification.commands';
import { LicenseSpecificationQueries } from './application/license-specification.queries';
import { LicenseSpecificationStates } from './application/license-specification.states';
import { ResourceLifecycle } from './application/resource-lifecycle.commands';
import { LaunchAdmissionEndpoint } from './infra/launch-admission.endpoint';
import { LicenseSpecificationsController } from './infra/license-specifications.controller';
import { NatsInventoryDirectory } from './infra/nats-inventory-directory';

/**
 * Licence specifications of resources: associations and their consumption, the resource
 * lifecycle and automated discovery over licensing's copy of the inventory (kept from discovery's
 * events, and asked of discovery for a resource not heard of yet), launch admission, and the
 * affinity sweep. Global only so that the configurations slice, below it, reaches automated
 * discovery through its PRODUCT_INFORMATION_CHANGES port without importing this slice.
 */
@Global()
@Module({
  imports: [ConfigurationsModule],
  controllers: [LicenseSpecificationsController],
  providers: [
    {
      // Decided on the states kept (LicenseSpecificationStates) without reading them: an association (a launch)
      // appends to every stream it reads, which proves them current; anything else is read first.
      provide: CommandBatcher,
      useFactory: (store: EventStore) => new CommandBatcher(store, { decideOnKeptStates: true }),
      inject: [EVENT_STORE],
    },
    LicenseSpecificationStates,
    LicenseSpecificationCommands,
    LicenseSpecificationQueries,
    ResourceLifecycle,
    { provide: PRODUCT_INFORMATION_CHANGES, useExisting: ResourceLifecycle },
    { provide: INVENTORY_DIRECTORY, useClass: NatsInventoryDirectory },
    InventoryLookup,
    InventoryConsumer,
    LicenseTypeConversionsConsumer,
    LaunchAdmission,
    LaunchAdmissionEndpoint,
    LicenseAffinitySweep,
  ],
  exports: [PRODUCT_INFORMATION_CHANGES],
})
export class SpecificationsModule {}
