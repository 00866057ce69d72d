import { Inject, Injectable } from '@nestjs/common';
import type { ServiceName } from '@lm/contracts';
import type { NatsConnection } from 'nats';
import { GATEWAY_CONFIG, NATS_CONNECTION, type GatewayConfig } from '../config';
import { probeServiceHealth } from './service-health';

export interface HealthReport {
  healthy: boolean;
  nats: boolean;
  /** Each deployed service answers only when its own database answers. */
  services: Record<string, boolean>;
}

@Injectable()
export class HealthCheck {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const nats = await this.nc.flush().then(
      () => true,
      () => false,
    );
    const services: Record<string, boolean> = {};
    await Promise.all(
      this.config.services.map(async (service) => {
        services[service] = nats && (await this.serviceAnswers(service));
      }),
    );
    return { healthy: nats && Object.values(services).every(Boolean), nats, services };
  }

  private async serviceAnswers(service: ServiceName): Promise<boolean> {
    return (await probeServiceHealth(this.nc, service, 2_000))?.healthy ?? false;
  }
}
