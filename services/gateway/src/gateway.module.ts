import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { OperationClient } from '@lm/messaging';
import { connect, type NatsConnection } from 'nats';
import { GATEWAY_CONFIG, gatewayConfigFromEnv, NATS_CONNECTION, type GatewayConfig } from './config';
import { AwsApiController } from './http/aws-api.controller';
import { AwsRequestHandler } from './http/aws-request.handler';
import { sessionCredentialsFromGrants } from './http/session-credentials-lookup';
import { CredentialStore } from './identity/credential-store';
import { SessionCredentialCache } from './identity/session-credentials';
import { HealthCheck } from './observability/health-check';
import { GatewayMetrics } from './observability/metrics';

@Module({
  controllers: [AwsApiController],
  providers: [
    { provide: GATEWAY_CONFIG, useFactory: () => gatewayConfigFromEnv() },
    {
      provide: NATS_CONNECTION,
      useFactory: (config: GatewayConfig) =>
        connect({ servers: config.natsUrl.split(','), name: 'gateway', noAsyncTraces: true }),
      inject: [GATEWAY_CONFIG],
    },
    {
      provide: CredentialStore,
      useFactory: (config: GatewayConfig) => CredentialStore.fromFile(config.credentialsFile),
      inject: [GATEWAY_CONFIG],
    },
    GatewayMetrics,
    HealthCheck,
    {
      provide: AwsRequestHandler,
      useFactory: (
        config: GatewayConfig,
        credentials: CredentialStore,
        nc: NatsConnection,
        metrics: GatewayMetrics,
      ) => {
        const client = new OperationClient(nc, config.operationTimeoutMs);
        return new AwsRequestHandler(
          config,
          credentials,
          new SessionCredentialCache(sessionCredentialsFromGrants(client)),
          client,
          metrics,
        );
      },
      inject: [GATEWAY_CONFIG, CredentialStore, NATS_CONNECTION, GatewayMetrics],
    },
  ],
})
export class GatewayModule implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.nc.drain();
  }
}
