import { Logger, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { RECONNECTING } from '@lm/messaging';
import { EXACT_NATS_DESERIALIZER, EXACT_NATS_SERIALIZER, OperationServer } from './operation-server';
import type { Registry } from 'prom-client';
import type { CommonConfig } from './config/common-config';
import { loadServiceConfig } from './config/service-config';
import { ConfigurationError, type Environment } from './config/settings';
import { startLogging } from './logging/start-logging';
import { OperationExceptionFilter } from './operation-exception.filter';
import { METRICS } from './metrics';
import { ServiceReadiness, startObservabilityServer, type ObservabilityServer } from './observability';
import { definitionOf } from './service-definition';
import { OPERATION_OBSERVER, REPLICA_NAME, REPLICA_ROLE, type ReplicaRole } from './service-runtime';
import { assertGuardsCanRun, openServiceStorage, type ServiceStorage } from './service-storage';
import {
  assertDependenciesAnswer,
  checkNats,
  checkPostgres,
  databaseVariableOf,
  UnreachableDependencyError,
} from './startup-checks';
import { DATABASE, NATS } from './tokens';

/**
 * Starts a module of defineService as a NATS microservice (main.ts: `void runService(module)`).
 * The configuration is read first: a bad value stops start-up with a message naming the
 * variable. Then PostgreSQL and NATS (with JetStream) must answer within LM_STARTUP_TIMEOUT_MS,
 * else start-up stops with one line per unreachable server saying what to start or set. Every
 * replica joins the queue group named after the service, so NATS gives each request to exactly
 * one of them, and serves them on subjects of its own too, to which the gateway routes a tenant's
 * requests (OperationServer.serveAsReplica). With LM_METRICS_PORT, an HTTP port serves /metrics,
 * /health/live and /health/ready (see startObservabilityServer) from before the dependency checks.
 * SIGTERM or SIGINT turns readiness off, stops taking requests, then shuts down in
 * order (see ServiceRuntime) and exits. Everything is logged through the process's logger (see
 * startLogging): JSON lines unless on a terminal, at LM_LOG_LEVEL.
 */
export async function runService(module: DynamicModule): Promise<void> {
  const definition = definitionOf(module);
  const logger = new Logger(definition.name);
  try {
    startLogging(definition.name);
    const config = loadServiceConfig(definition);
    assertGuardsCanRun(definition, config);
    const { common } = config;
    const readiness = new ServiceReadiness();
    // Filled once the service has built its registry.
    const metrics: { registry?: Registry } = {};
    // Before the dependencies are awaited: liveness answers while start-up waits for them.
    const observability = await serveObservability(common, () => metrics.registry, readiness, logger);
    const check = { service: definition.name, timeoutMs: common.startupTimeoutMs };
    await assertDependenciesAnswer([
      checkPostgres(check, common.databaseUrl, databaseVariableOf(definition.name, process.env)),
      checkNats(check, common.natsServers, { jetStream: true }),
    ]);
    const server = new OperationServer({
      servers: common.natsServers,
      queue: definition.name,
      name: definition.name,
      // Async stack traces cost two Error objects per request; errors here are logged without them.
      noAsyncTraces: true,
      serializer: EXACT_NATS_SERIALIZER,
      deserializer: EXACT_NATS_DESERIALIZER,
      ...RECONNECTING,
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
      strategy: server,
      // A failed start (a refused event store, an unreachable database) is reported below, not aborted on.
      abortOnError: false,
    });
    app.useGlobalFilters(new OperationExceptionFilter());
    // No interceptors: the server refuses late requests, sets each request's deadline and reports
    // each answer itself (see OperationServer).
    server.observe(app.get(OPERATION_OBSERVER));
    const role = app.get<ReplicaRole>(REPLICA_ROLE);
    server.serveAsReplica(definition.name, app.get<string>(REPLICA_NAME), () => role.runsRelay);
    await app.listen();
    metrics.registry = app.get(METRICS);
    readiness.started({ db: app.get(DATABASE), nc: app.get(NATS) });
    logger.log('ready');
    const stop = (signal: NodeJS.Signals) => {
      logger.log(`${signal}: stopping`);
      // Not ready from the signal on, so that orchestrators stop sending work before the drain.
      readiness.stopping();
      // close() stops the request subscriptions first, then runs the shutdown hooks.
      app.close().then(
        async () => {
          await observability?.close();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ msg: `shutdown failed: ${messageOf(error)}`, err: error });
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    if (error instanceof UnreachableDependencyError) {
      // What to start or set, alone in its message: a stack trace would bury it.
      logger.fatal(error.message);
      process.exit(1);
    }
    // A bad setting is the operator's to fix, named in the message; anything else is a failure with a stack.
    if (error instanceof ConfigurationError) logger.fatal(`cannot start: ${error.message}`);
    else logger.fatal({ msg: `cannot start: ${messageOf(error)}`, err: error });
    process.exit(1);
  }
}

/** The HTTP port of /metrics and the health checks, when LM_METRICS_PORT asks for one. */
async function serveObservability(
  common: CommonConfig,
  registry: () => Registry | undefined,
  readiness: ServiceReadiness,
  logger: Logger,
): Promise<ObservabilityServer | undefined> {
  const { metricsHost: host, metricsPort: port } = common;
  if (port === undefined) return undefined;
  const server = await startObservabilityServer({ host, port, registry, readiness: () => readiness.report() });
  logger.log(`metrics and health checks on http://${host}:${port} (/metrics, /health/live, /health/ready)`);
  return server;
}

/** For integration tests: the database and event store a module of defineService opens, configured by `env`. */
export function openServiceStorageOf(module: DynamicModule, env: Environment): Promise<ServiceStorage> {
  const definition = definitionOf(module);
  return openServiceStorage(definition, loadServiceConfig(definition, env));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
