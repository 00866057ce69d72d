import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Subscription as StoreSubscription } from '@lm/event-store';
import { eventSubject, startDurableEventConsumer, startEventRelay } from '@lm/messaging';
import { CLOCK, createHealthController, DEFAULT_NATS_URL, systemClock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { connect, type NatsConnection, type Subscription as NatsSubscription } from 'nats';
import { InventoryReports } from '../application/inventory-reports';
import { InventorySweep } from '../application/inventory-sweep';
import { InventoryQueries } from '../application/inventory.queries';
import { InventoryScopes, serviceSettingsRecorder } from '../application/service-settings';
import { DATABASE, EVENT_STORE } from '../application/tokens';
import { DISCOVERY_SCHEMA } from './database/schema';
import {
  deploymentRegion,
  openDiscoveryInfrastructure,
  SERVICE_NAME,
  sweepIntervalMs,
  type DiscoveryInfrastructure,
} from './discovery-infrastructure';
import { InventoryController } from './inventory.controller';
import { serveInventoryReports } from './inventory-report.subscriber';
import { scheduleSweep } from './sweep-schedule';

const INFRASTRUCTURE = Symbol('DiscoveryInfrastructure');

type Stoppable = { stop(): Promise<void> };

@Module({
  controllers: [InventoryController, createHealthController(SERVICE_NAME, DATABASE)],
  providers: [
    { provide: INFRASTRUCTURE, useFactory: () => openDiscoveryInfrastructure() },
    { provide: DATABASE, useFactory: (infra: DiscoveryInfrastructure) => infra.db, inject: [INFRASTRUCTURE] },
    { provide: EVENT_STORE, useFactory: (infra: DiscoveryInfrastructure) => infra.store, inject: [INFRASTRUCTURE] },
    { provide: CLOCK, useValue: systemClock },
    InventoryReports,
    InventoryQueries,
    InventoryScopes,
    InventorySweep,
  ],
})
export class DiscoveryModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private nc?: NatsConnection;
  private relay?: StoreSubscription;
  private settingsConsumer?: Stoppable;
  private reportSubscription?: NatsSubscription;
  private sweepSchedule?: Stoppable;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: DiscoveryInfrastructure,
    private readonly reports: InventoryReports,
    private readonly sweep: InventorySweep,
  ) {}

  /**
   * Relays the service's events to JetStream (lm.events.discovery.*), follows licensing's
   * service settings, serves reports published on NATS, and starts the inactivity sweep.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.nc = await connect({
      servers: (process.env.NATS_URL ?? DEFAULT_NATS_URL).split(','),
      name: `${SERVICE_NAME}-events`,
    });
    this.relay = await startEventRelay({ service: SERVICE_NAME, store: this.infra.store, nc: this.nc });
    this.settingsConsumer = await startDurableEventConsumer({
      nc: this.nc,
      db: this.infra.db,
      schema: DISCOVERY_SCHEMA,
      durableName: `${SERVICE_NAME}-service-settings`,
      filterSubject: eventSubject('licensing', 'ServiceSettingsUpdated'),
      handle: serviceSettingsRecorder(deploymentRegion()),
    });
    this.reportSubscription = serveInventoryReports(this.nc, this.reports, deploymentRegion());
    this.sweepSchedule = scheduleSweep(this.sweep, sweepIntervalMs());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweepSchedule?.stop();
    await this.reportSubscription?.drain();
    await this.settingsConsumer?.stop();
    await this.relay?.stop();
    await this.nc?.drain();
    await this.infra.store.close();
    await (this.infra.db as Kysely<unknown>).destroy();
  }
}
