import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBatcher, type EventStore, type Subscription } from '@lm/event-store';
import { eventSubject, startDurableEventConsumer, startEventRelay } from '@lm/messaging';
import { CLOCK, createHealthController, DEFAULT_NATS_URL, systemClock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { connect, type NatsConnection } from 'nats';
import { LicenseConfigurationCommands } from '../application/license-configuration.commands';
import { LicenseConfigurationQueries } from '../application/license-configuration.queries';
import { applyInventoryEvent } from '../application/inventory.projection';
import { LicenseSpecificationCommands } from '../application/license-specifications.commands';
import { LicenseSpecificationQueries } from '../application/license-specifications.queries';
import { LicensingAggregateStates } from '../application/aggregate-states';
import { ConfigurationSharing } from '../application/configuration-sharing';
import { LaunchAdmission } from '../application/launch-admission';
import { ResourceLifecycle } from '../application/resource-lifecycle';
import { ServiceSettingsHandlers } from '../application/service-settings.handlers';
import { DATABASE, EVENT_STORE, REGION } from '../application/tokens';
import { LicenseConfigurationsController } from './license-configurations.controller';
import { serveLaunchAdmission } from './launch-admission.endpoint';
import { LicenseSpecificationsController } from './license-specifications.controller';
import { LICENSING_SCHEMA } from './database/schema';
import {
  affinitySweepIntervalMs,
  openLicensingInfrastructure,
  SERVICE_NAME,
  type LicensingInfrastructure,
} from './licensing-infrastructure';
import { ServiceSettingsController } from './service-settings.controller';
import { TagsController } from './tags.controller';

const INFRASTRUCTURE = Symbol('LicensingInfrastructure');

@Module({
  controllers: [
    LicenseConfigurationsController,
    TagsController,
    ServiceSettingsController,
    LicenseSpecificationsController,
    createHealthController(SERVICE_NAME, DATABASE),
  ],
  providers: [
    { provide: INFRASTRUCTURE, useFactory: () => openLicensingInfrastructure() },
    { provide: DATABASE, useFactory: (infra: LicensingInfrastructure) => infra.db, inject: [INFRASTRUCTURE] },
    { provide: EVENT_STORE, useFactory: (infra: LicensingInfrastructure) => infra.store, inject: [INFRASTRUCTURE] },
    { provide: CLOCK, useValue: systemClock },
    { provide: REGION, useFactory: () => process.env.LM_REGION ?? 'us-east-1' },
    LaunchAdmission,
    ResourceLifecycle,
    ConfigurationSharing,
    LicensingAggregateStates,
    { provide: CommandBatcher, useFactory: (store: EventStore) => new CommandBatcher(store), inject: [EVENT_STORE] },
    LicenseConfigurationCommands,
    LicenseConfigurationQueries,
    ServiceSettingsHandlers,
    LicenseSpecificationCommands,
    LicenseSpecificationQueries,
  ],
})
export class LicensingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private nc?: NatsConnection;
  private relay?: Subscription;
  private inventory?: { stop(): Promise<void> };
  private launchAdmission?: { drain(): Promise<void> };
  private affinitySweep?: NodeJS.Timeout;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: LicensingInfrastructure,
    private readonly admission: LaunchAdmission,
    private readonly lifecycle: ResourceLifecycle,
  ) {}

  /**
   * Relays the service's domain events to JetStream (lm.events.licensing.*) for the other
   * services, keeps licensing's copy of the inventory from the discovery service's events, and
   * answers launch admission on NATS.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.nc = await connect({
      servers: (process.env.NATS_URL ?? DEFAULT_NATS_URL).split(','),
      name: `${SERVICE_NAME}-events`,
    });
    this.relay = await startEventRelay({ service: SERVICE_NAME, store: this.infra.store, nc: this.nc });
    this.inventory = await startDurableEventConsumer({
      nc: this.nc,
      db: this.infra.db,
      schema: LICENSING_SCHEMA,
      durableName: 'licensing-inventory',
      filterSubject: eventSubject('discovery', '>'),
      handle: async (event, trx) => {
        const changed = await applyInventoryEvent(event, trx);
        if (changed) await this.lifecycle.onResourceChanged(changed);
      },
    });
    this.launchAdmission = serveLaunchAdmission(this.nc, this.admission);
    this.affinitySweep = setInterval(() => {
      this.lifecycle.endDueAffinityHolds().catch((error: Error) => new Logger('AffinitySweep').error(error.message));
    }, affinitySweepIntervalMs());
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.affinitySweep);
    await this.launchAdmission?.drain();
    await this.inventory?.stop();
    await this.relay?.stop();
    await this.nc?.drain();
    await this.infra.store.close();
    await (this.infra.db as Kysely<unknown>).destroy();
  }
}
