import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { coalesceNatsWrites, OperationClient, RECONNECTING } from '@lm/messaging';
import { connect, type NatsConnection } from 'nats';
import { GATEWAY_CONFIG, gatewayConfigFromEnv, NATS_CONNECTION, type GatewayConfig } from './config';
import { AwsApiEndpoint } from './http/aws-api.endpoint';
import { AwsRequestHandler } from './http/aws-request.handler';
import { HealthAndMetricsEndpoints } from './http/health-and-metrics.endpoints';
import { GatewayHttpServer } from './http/http-server';
import { InFlightLimit } from './http/in-flight-limit';
import { CredentialStore } from './identity/credential-store';
import { SessionCredentialCache } from './identity/session-credentials';
import { sessionCredentialsFromGrants } from './identity/session-credentials-lookup';
import { AUDIT_RECORDER, JetStreamAuditTrail, type AuditRecorder } from './observability/audit-trail';
import { HealthCheck } from './observability/health-check';
import { GatewayMetrics } from './observability/metrics';
import { ReplicaMetrics } from './observability/replica-metrics';
import { cachedServicePresence, probeServiceHealth } from './observability/service-health';
import { ReplicaDirectory } from './routing/replica-directory';
import { TenantRouting } from './routing/tenant-routing';

/**
 * How long the gateway trusts that a service is (or is not) running when an operation has no
 * handler: short enough to notice a service starting, long enough that a flood of such calls
 * costs NATS one health probe per service and period.
 */
const SERVICE_PRESENCE_TTL_MS = 1_000;

@Module({
  providers: [
    GatewayHttpServer,
    AwsApiEndpoint,
    HealthAndMetricsEndpoints,
    { provide: GATEWAY_CONFIG, useFactory: () => gatewayConfigFromEnv() },
    {
      provide: NATS_CONNECTION,
      useFactory: async (config: GatewayConfig) =>
        coalesceNatsWrites(
          await connect({ servers: config.natsServers, name: 'gateway', noAsyncTraces: true, ...RECONNECTING }),
        ),
      inject: [GATEWAY_CONFIG],
    },
    {
      provide: CredentialStore,
      useFactory: (config: GatewayConfig) => CredentialStore.fromFile(config.credentialsFile),
      inject: [GATEWAY_CONFIG],
    },
    {
      provide: JetStreamAuditTrail,
      useFactory: (nc: NatsConnection) => new JetStreamAuditTrail(nc),
      inject: [NATS_CONNECTION],
    },
    { provide: AUDIT_RECORDER, useExisting: JetStreamAuditTrail },
    {
      provide: InFlightLimit,
      useFactory: (config: GatewayConfig) => new InFlightLimit(config.maxInFlightRequests),
      inject: [GATEWAY_CONFIG],
    },
    GatewayMetrics,
    HealthCheck,
    ReplicaMetrics,
    {
      // Left empty with LM_REPLICA_ROUTING=any: every request then goes to the service's queue group.
      provide: ReplicaDirectory,
      useFactory: (config: GatewayConfig, nc: NatsConnection) =>
        config.replicaRouting === 'tenant' ? new ReplicaDirectory().listen(nc) : new ReplicaDirectory(),
      inject: [GATEWAY_CONFIG, NATS_CONNECTION],
    },
    {
      provide: AwsRequestHandler,
      useFactory: (
        config: GatewayConfig,
        credentials: CredentialStore,
        nc: NatsConnection,
        metrics: GatewayMetrics,
        audit: AuditRecorder,
        replicas: ReplicaDirectory,
      ) => {
        const client = new OperationClient(nc, config.operationTimeoutMs);
        const presence = cachedServicePresence(
          async (service) => (await probeServiceHealth(nc, service, SERVICE_PRESENCE_TTL_MS)) !== null,
          { ttlMs: SERVICE_PRESENCE_TTL_MS },
        );
        return new AwsRequestHandler(
          config,
          credentials,
          new SessionCredentialCache(sessionCredentialsFromGrants(client)),
          new TenantRouting(client, replicas, config.tenantSpillInFlight, config.replicaBusyCpu, metrics.routing),
          presence,
          metrics,
          audit,
        );
      },
      inject: [GATEWAY_CONFIG, CredentialStore, NATS_CONNECTION, GatewayMetrics, AUDIT_RECORDER, ReplicaDirectory],
    },
  ],
})
export class GatewayModule implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly audit: JetStreamAuditTrail,
  ) {}

  // Nest runs it after the HTTP server closed (no call left to answer): the audit records still
  // batched are published, and acknowledged by JetStream, before the drain closes the connection.
  async onApplicationShutdown(): Promise<void> {
    await this.audit.close();
    await this.nc.drain();
  }
}
