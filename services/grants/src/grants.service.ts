import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Subscription } from '@lm/event-store';
import { eventSubject, startDurableEventConsumer, startEventRelay } from '@lm/messaging';
import { CLOCK, createHealthController, DEFAULT_NATS_URL, systemClock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { connect, type NatsConnection } from 'nats';
import { GRANT_DISTRIBUTION_SUBSCRIPTION, GrantDistribution } from './grants/application/grant-distribution.consumer';
import { ConsumptionSettings } from './consumption/application/license-consumption.settings';
import { LicenseConsumptionSweep } from './consumption/application/license-consumption.sweep';
import { LicenseExpirySweep } from './licenses/application/license-expiry.sweep';
import { MasterKey } from './shared/master-key';
import { organizationIntegrationRecorder } from './grants/application/organization-integration.consumer';
import { DATABASE, EVENT_STORE, REGION } from './shared/tokens';
import { GRANTS_SCHEMA } from './shared/schema';
import {
  licenseExpirySweepMs,
  masterKeyFromEnv,
  openGrantsInfrastructure,
  SERVICE_NAME,
  type GrantsInfrastructure,
} from './infra/grants-infrastructure';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { TokensModule } from './tokens/tokens.module';
import { ConsumptionModule } from './consumption/consumption.module';
import { GrantsModule } from './grants/grants.module';
import { LicensesModule } from './licenses/licenses.module';

const INFRASTRUCTURE = Symbol('GrantsInfrastructure');

/** What every slice uses: the database, the event store, the clock, the Region and the master key. */
@Global()
@Module({
  providers: [
    { provide: INFRASTRUCTURE, useFactory: () => openGrantsInfrastructure() },
    { provide: DATABASE, useFactory: (infra: GrantsInfrastructure) => infra.db, inject: [INFRASTRUCTURE] },
    { provide: EVENT_STORE, useFactory: (infra: GrantsInfrastructure) => infra.store, inject: [INFRASTRUCTURE] },
    { provide: CLOCK, useValue: systemClock },
    { provide: MasterKey, useFactory: () => masterKeyFromEnv() },
    { provide: REGION, useFactory: () => process.env.LM_REGION ?? 'us-east-1' },
  ],
  exports: [INFRASTRUCTURE, DATABASE, EVENT_STORE, CLOCK, MasterKey, REGION],
})
class GrantsPlatformModule {}

@Module({
  controllers: [createHealthController(SERVICE_NAME, DATABASE)],
  imports: [GrantsPlatformModule, LicensesModule, GrantsModule, SigningKeysModule, TokensModule, ConsumptionModule],
})
export class GrantsServiceModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private nc?: NatsConnection;
  private relay?: Subscription;
  private distribution?: Subscription;
  private integrationsConsumer?: { stop(): Promise<void> };
  private readonly sweeps: NodeJS.Timeout[] = [];

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: GrantsInfrastructure,
    private readonly leases: LicenseConsumptionSweep,
    private readonly licenseExpiry: LicenseExpirySweep,
    private readonly consumption: ConsumptionSettings,
    private readonly grantDistribution: GrantDistribution,
    @Inject(REGION) private readonly region: string,
  ) {}

  /**
   * Relays the service's domain events to JetStream (lm.events.grants.*) for the other services,
   * runs the distribution workflow of organization and OU grants on them, follows licensing's
   * service settings (organization links, for grant auto-acceptance), records expired leases
   * every LM_CONSUMPTION_SWEEP_MS and licences past their validity every LM_LICENSE_EXPIRY_SWEEP_MS.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.nc = await connect({
      servers: (process.env.NATS_URL ?? DEFAULT_NATS_URL).split(','),
      name: `${SERVICE_NAME}-events`,
    });
    this.relay = await startEventRelay({ service: SERVICE_NAME, store: this.infra.store, nc: this.nc });
    this.distribution = this.infra.store.subscribe({
      name: GRANT_DISTRIBUTION_SUBSCRIPTION,
      handler: (events) => this.grantDistribution.handle(events),
    });
    this.integrationsConsumer = await startDurableEventConsumer({
      nc: this.nc,
      db: this.infra.db,
      schema: GRANTS_SCHEMA,
      durableName: `${SERVICE_NAME}-organization-integrations`,
      filterSubject: eventSubject('licensing', 'ServiceSettingsUpdated'),
      handle: organizationIntegrationRecorder(this.region),
    });
    this.every(this.consumption.sweepIntervalMs, 'ConsumptionSweep', () => this.leases.sweep());
    this.every(licenseExpirySweepMs(), 'LicenseExpirySweep', () => this.licenseExpiry.sweep());
  }

  /** Runs a sweep every `intervalMs`; a failed run is logged, and the next one tries again. */
  private every(intervalMs: number, name: string, sweep: () => Promise<unknown>): void {
    this.sweeps.push(
      setInterval(() => sweep().catch((error: Error) => new Logger(name).error(error.message)), intervalMs),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.sweeps.forEach(clearInterval);
    await this.integrationsConsumer?.stop();
    await this.distribution?.stop();
    await this.relay?.stop();
    await this.nc?.drain();
    await this.infra.store.close();
    await (this.infra.db as Kysely<unknown>).destroy();
  }
}
