import type { DynamicModule, Provider } from '@nestjs/common';
import { NewStreamBatcher, type EventStore } from '@lm/event-store';
import { coalesceNatsWrites, newReplicaName, OperationClient, RECONNECTING } from '@lm/messaging';
import { connect, type NatsConnection } from 'nats';
import { CLOCK, systemClock } from './clock';
import { loadServiceConfig } from './config/service-config';
import type { Settings } from './config/settings';
import { currentRequestDeadline } from './late-request';
import { handledOperations, messagePatternsOf, operationSubjectsOf } from './handled-operations';
import { serviceHealthController } from './health.controller';
import { declaredByImports } from './module-metadata';
import { ChassisMetrics, instrumentEventStore, METRICS, operationObserver } from './metrics';
import { consumerHandlers, registerDefinition, type ServiceDefinition } from './service-definition';
import {
  OPERATION_OBSERVER,
  REPLICA_NAME,
  REPLICA_ROLE,
  SERVICE_DEFINITION,
  SERVICE_STORAGE,
  ServiceRuntime,
} from './service-runtime';
import { openServiceStorage, type ServiceStorage } from './service-storage';
import { CONFIG, DATABASE, EVENT_STORE, NATS, REGION } from './tokens';

/**
 * A service as one Nest module: its bounded context's controllers and providers, plus what the
 * chassis provides (DATABASE, EVENT_STORE, NewStreamBatcher, CLOCK, REGION, CONFIG, NATS, OperationClient,
 * METRICS) and runs (view migrations, event relay, consumers, subscriptions, endpoints,
 * schedules, health and metrics). Start it with runService(module) in the service's main.ts.
 */
export function defineService<S extends Settings = Settings>(definition: ServiceDefinition<S>): DynamicModule {
  const { name } = definition;
  const { endpoints = [], consumers = [], subscriptions = [], schedules = [] } = definition;
  const controllers = [...(definition.controllers ?? [])];
  const imported = declaredByImports(definition.imports);
  const patterns = messagePatternsOf([...controllers, ...imported.controllers]);
  const operations = handledOperations(name, [...patterns, ...endpoints.map((endpoint) => endpoint.subject)]);
  const operationSubjects = new Set(operationSubjectsOf(name, patterns));
  const chassisProviders: Provider[] = [
    { provide: SERVICE_DEFINITION, useValue: definition },
    { provide: REPLICA_NAME, useFactory: newReplicaName },
    { provide: REPLICA_ROLE, useFactory: () => ({ runsRelay: false }) },
    { provide: CONFIG, useFactory: () => loadServiceConfig(definition).own },
    { provide: REGION, useFactory: () => loadServiceConfig(definition).common.region },
    { provide: CLOCK, useValue: systemClock },
    { provide: SERVICE_STORAGE, useFactory: () => openServiceStorage(definition, loadServiceConfig(definition)) },
    { provide: DATABASE, useFactory: (storage: ServiceStorage) => storage.db, inject: [SERVICE_STORAGE] },
    { provide: ChassisMetrics, useFactory: () => new ChassisMetrics(name) },
    { provide: METRICS, useFactory: (metrics: ChassisMetrics) => metrics.registry, inject: [ChassisMetrics] },
    {
      provide: EVENT_STORE,
      useFactory: (storage: ServiceStorage, metrics: ChassisMetrics) =>
        instrumentEventStore(storage.store, metrics.registry),
      inject: [SERVICE_STORAGE, ChassisMetrics],
    },
    {
      // One group commit for every create of the service; a batch runs under its most urgent request's deadline.
      provide: NewStreamBatcher,
      useFactory: (store: EventStore) => new NewStreamBatcher(store, { urgency: currentRequestDeadline }),
      inject: [EVENT_STORE],
    },
    {
      provide: NATS,
      useFactory: async (): Promise<NatsConnection> =>
        coalesceNatsWrites(
          await connect({
            servers: loadServiceConfig(definition).common.natsServers,
            name: `${name}-chassis`,
            ...RECONNECTING,
          }),
        ),
    },
    { provide: OperationClient, useFactory: (nc: NatsConnection) => new OperationClient(nc), inject: [NATS] },
    {
      provide: OPERATION_OBSERVER,
      useFactory: (metrics: ChassisMetrics) => operationObserver(metrics.countOperation, operationSubjects),
      inject: [ChassisMetrics],
    },
    ServiceRuntime,
  ];
  const workerClasses = [
    ...consumers.flatMap((c) => consumerHandlers(c).map(({ handler }) => handler)),
    ...subscriptions.map((s) => s.handler),
    ...schedules.map((s) => s.task),
    ...endpoints.map((e) => e.handler),
  ];
  // A worker class that no module provides is provided here, so that declaring it once is enough.
  const declared = new Set([...(definition.providers ?? []), ...imported.providers]);
  const module: DynamicModule = {
    module: namedModuleClass(name),
    // Global, so that the feature modules a service imports (its slices) inject what the chassis provides.
    global: true,
    imports: definition.imports ?? [],
    controllers: [...controllers, serviceHealthController(name, operations)],
    providers: [
      ...chassisProviders,
      ...(definition.providers ?? []),
      ...new Set(workerClasses.filter((worker) => !declared.has(worker))),
    ],
    exports: [DATABASE, EVENT_STORE, NewStreamBatcher, CLOCK, REGION, CONFIG, NATS, OperationClient, METRICS],
  };
  registerDefinition(module, definition);
  return module;
}

/** A class of its own per service, named after it (`LicensingModule`), as Nest identifies modules by class. */
function namedModuleClass(service: string): DynamicModule['module'] {
  const moduleClass = class {};
  const pascal = service.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase());
  Object.defineProperty(moduleClass, 'name', { value: `${pascal}Module` });
  return moduleClass;
}
