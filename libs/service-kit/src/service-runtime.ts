import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { eventStoreCounters, type Subscription as StoreSubscription } from '@lm/event-store';
import { startDurableEventConsumer, startEventRelay } from '@lm/messaging';
import type { NatsConnection, Subscription as NatsSubscription } from 'nats';
import { loadServiceConfig } from './config/service-config';
import { ServiceCounters, serveMetrics } from './metrics';
import { serveEndpoint } from './nats-endpoint';
import { startSchedule } from './scheduler';
import type { ServiceDefinition } from './service-definition';
import type { ServiceStorage } from './service-storage';
import { NATS } from './tokens';

/** Internal tokens of the chassis. */
export const SERVICE_DEFINITION = Symbol('ServiceDefinition');
export const SERVICE_STORAGE = Symbol('ServiceStorage');

type Stoppable = { stop(): Promise<void> };

/**
 * Starts what runs beside the request handlers once the application is up (event relay, durable
 * consumers, store subscriptions, NATS endpoints, schedules, metrics), and shuts the service down
 * in order: schedules, endpoints, consumers and subscriptions first, then the relay, then NATS is
 * drained, then the event store is closed and the database pool destroyed.
 */
@Injectable()
export class ServiceRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  /** Stopped together, before the relay. */
  private readonly workers: Stoppable[] = [];
  private relay?: StoreSubscription;
  private metrics?: NatsSubscription;

  constructor(
    @Inject(SERVICE_DEFINITION) private readonly definition: ServiceDefinition,
    @Inject(SERVICE_STORAGE) private readonly storage: ServiceStorage,
    @Inject(NATS) private readonly nc: NatsConnection,
    private readonly counters: ServiceCounters,
    private readonly moduleRef: ModuleRef,
  ) {
    this.logger = new Logger(definition.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { name, schema } = this.definition;
    const { store, db } = this.storage;
    this.relay = await startEventRelay({ service: name, store, nc: this.nc });
    for (const { durableName, subject, handler } of this.definition.consumers ?? []) {
      const consumer = this.moduleRef.get(handler, { strict: false });
      this.workers.push(
        await startDurableEventConsumer({
          nc: this.nc,
          db,
          schema,
          durableName,
          filterSubject: subject,
          handle: (event, trx) => consumer.handle(event, trx),
        }),
      );
    }
    for (const { name: subscription, handler } of this.definition.subscriptions ?? []) {
      const subscriber = this.moduleRef.get(handler, { strict: false });
      this.workers.push(store.subscribe({ name: subscription, handler: (events) => subscriber.handle(events) }));
    }
    for (const { subject, handler } of this.definition.endpoints ?? []) {
      const count = (failed: boolean) => this.counters.increment(failed ? 'operations_failed' : 'operations_handled');
      this.workers.push(serveEndpoint(this.nc, name, subject, this.moduleRef.get(handler, { strict: false }), count));
    }
    const { own } = loadServiceConfig(this.definition);
    for (const { task, intervalMs } of this.definition.schedules ?? []) {
      const sweep = this.moduleRef.get(task, { strict: false });
      this.workers.push(startSchedule(task.name, intervalMs(own), () => sweep.sweep(), this.logger));
    }
    this.metrics = serveMetrics(this.nc, name, () => ({
      ...this.counters.snapshot(),
      version_conflict_retries: eventStoreCounters.versionConflictRetries,
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    // Each step logged: a shutdown that hangs shows where.
    await Promise.all(this.workers.map((worker) => worker.stop()));
    this.logger.log('stopped consumers, subscriptions, endpoints and schedules');
    await this.relay?.stop();
    this.metrics?.unsubscribe();
    this.logger.log('stopped the event relay');
    await this.nc.drain();
    this.logger.log('drained NATS');
    await this.storage.close();
    this.logger.log('closed the event store and the database pool');
    this.logger.log('stopped');
  }
}
