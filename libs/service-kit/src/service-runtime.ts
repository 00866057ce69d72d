import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { projectionCheckpointName } from '@lm/event-store';
import { ensureEventsStream, EVENT_RELAY_CHECKPOINT, relayEvents, startDurableEventConsumer } from '@lm/messaging';
import type { NatsConnection, Subscription as NatsSubscription } from 'nats';
import { loadServiceConfig } from './config/service-config';
import { ChassisMetrics, operationOfSubject, registerLagMetrics, serveMetrics } from './metrics';
import { serveEndpoint } from './nats-endpoint';
import { startSchedule } from './scheduler';
import { consumerHandlers, type ServiceDefinition } from './service-definition';
import { listFrom, type ServiceStorage } from './service-storage';
import { LeasedSubscriptions } from './leased-subscriptions';
import { NATS } from './tokens';

/** Internal tokens of the chassis. */
export const SERVICE_DEFINITION = Symbol('ServiceDefinition');
export const SERVICE_STORAGE = Symbol('ServiceStorage');
/** What the service's OperationServer tells of each request it answers (metrics' operationObserver). */
export const OPERATION_OBSERVER = Symbol('OperationObserver');
/**
 * This process's name among its service's replicas (newReplicaName): its endpoints and
 * OperationServer serve their subjects on its replica subjects too (replicaSubject).
 */
export const REPLICA_NAME = Symbol('ReplicaName');
/**
 * What this replica does for its service besides answering requests, as its presence tells the
 * gateway (replica-presence.ts): `{ runsRelay }`, set while it holds the subscription lease.
 */
export const REPLICA_ROLE = Symbol('ReplicaRole');
export interface ReplicaRole {
  runsRelay: boolean;
}

type Stoppable = { stop(): Promise<void> };

/**
 * Starts what runs beside the request handlers once the application is up (event relay, durable
 * consumers, store subscriptions, NATS endpoints, schedules, metrics), and shuts the service down
 * in order: schedules, endpoints and consumers first, then the store subscriptions, then the
 * relay, then NATS is drained, then the event store is closed and the database pool destroyed.
 * The relay and the store subscriptions run on one replica at a time (LeasedSubscriptions); the
 * rest on every replica, which share the work through queue groups and durable consumers.
 */
@Injectable()
export class ServiceRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  /** Stopped together, before the store subscriptions and the relay. */
  private readonly workers: Stoppable[] = [];
  private leased?: LeasedSubscriptions;
  private metrics?: NatsSubscription;

  constructor(
    @Inject(SERVICE_DEFINITION) private readonly definition: ServiceDefinition,
    @Inject(SERVICE_STORAGE) private readonly storage: ServiceStorage,
    @Inject(NATS) private readonly nc: NatsConnection,
    private readonly chassisMetrics: ChassisMetrics,
    private readonly moduleRef: ModuleRef,
    @Inject(REPLICA_NAME) private readonly replica: string,
    @Inject(REPLICA_ROLE) private readonly role: ReplicaRole,
  ) {
    this.logger = new Logger(definition.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { name, schema } = this.definition;
    const { store, db } = this.storage;
    const { own, common } = loadServiceConfig(this.definition);
    // Here rather than when this replica takes the lease: a missing stream fails the start.
    await ensureEventsStream(this.nc);
    for (const spec of this.definition.consumers ?? []) {
      const { durableName, subject, batchSize, lanes } = spec;
      const appliers = consumerHandlers(spec).map(({ ledgerName, handler }) => {
        const consumer = this.moduleRef.get(handler, { strict: false });
        const applies =
          'handleBatch' in consumer
            ? { handleBatch: consumer.handleBatch.bind(consumer) }
            : { handle: consumer.handle.bind(consumer) };
        return { ledgerName, eventTypes: consumer.eventTypes, ...applies };
      });
      // At 0 from the start, so that a rate over the counter sees its first redelivery.
      this.chassisMetrics.countRedelivery(durableName, 0);
      this.workers.push(
        await startDurableEventConsumer({
          nc: this.nc,
          db,
          schema,
          durableName,
          filterSubject: subject,
          appliers,
          batchSize: Math.min(batchSize ?? common.consumerBatchSize, common.consumerBatchSize),
          lanes,
          ackWaitMs: common.consumerAckWaitMs,
          onRedelivery: () => this.chassisMetrics.countRedelivery(durableName),
        }),
      );
    }
    const subscriptions = (this.definition.subscriptions ?? []).map(({ name: subscription, handler }) => {
      const subscriber = this.moduleRef.get(handler, { strict: false });
      return { name: subscription, eventTypes: subscriber.eventTypes, handler: subscriber.handle.bind(subscriber) };
    });
    this.leased = new LeasedSubscriptions({
      service: name,
      schema,
      store,
      nc: this.nc,
      connectionString: common.databaseUrl,
      intervalMs: common.subscriptionLeaseIntervalMs,
      startRelay: () => relayEvents({ service: name, store, nc: this.nc, maxInFlight: common.relayMaxInFlight }),
      startSubscriptions: () => subscriptions.map((options) => store.subscribe(options)),
      onHeld: (held) => {
        this.role.runsRelay = held;
        this.chassisMetrics.setSubscriptionLeaseHeld(held);
      },
      logger: this.logger,
    });
    for (const { subject, handler } of this.definition.endpoints ?? []) {
      const operation = operationOfSubject(subject);
      const count = (failed: boolean) => this.chassisMetrics.countOperation(operation, failed ? 'error' : 'ok');
      const endpoint = this.moduleRef.get(handler, { strict: false });
      this.workers.push(serveEndpoint(this.nc, name, subject, endpoint, count, this.replica));
    }
    for (const { task, intervalMs } of this.definition.schedules ?? []) {
      const sweep = this.moduleRef.get(task, { strict: false });
      this.workers.push(startSchedule(task.name, intervalMs(own), () => sweep.sweep(), this.logger));
    }
    registerLagMetrics(this.chassisMetrics.registry, {
      store,
      nc: this.nc,
      checkpoints: [
        EVENT_RELAY_CHECKPOINT,
        ...(this.definition.subscriptions ?? []).map((subscription) => subscription.name),
        // PostgreSQL applies projections in the append's transaction: they cannot lag behind it.
        ...(common.eventStore.kind === 'postgres'
          ? []
          : listFrom(this.definition.projections, own).map(projectionCheckpointName)),
      ],
      consumers: (this.definition.consumers ?? []).map((consumer) => consumer.durableName),
    });
    this.metrics = serveMetrics(this.nc, name, this.chassisMetrics.registry);
  }

  async onApplicationShutdown(): Promise<void> {
    // Each step logged: a shutdown that hangs shows where.
    await Promise.all(this.workers.map((worker) => worker.stop()));
    this.logger.log('stopped consumers, endpoints and schedules');
    await this.leased?.close();
    this.metrics?.unsubscribe();
    this.logger.log('stopped the store subscriptions and the event relay');
    await this.nc.drain();
    this.logger.log('drained NATS');
    await this.storage.close();
    this.logger.log('closed the event store and the database pool');
    this.logger.log('stopped');
  }
}
