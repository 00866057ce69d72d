import { join } from 'node:path';
import { DEFAULT_NATS_URL } from '@lm/service-kit';
import type { ServiceName } from '@lm/contracts';

export const GATEWAY_CONFIG = Symbol('GatewayConfig');
export const NATS_CONNECTION = Symbol('NatsConnection');

export interface GatewayConfig {
  port: number;
  region: string;
  natsUrl: string;
  credentialsFile: string;
  maxBodyBytes: number;
  /** The services deployed with this gateway: /health waits for each of them. */
  services: ServiceName[];
  operationTimeoutMs: number;
}

export const DEVELOPMENT_CREDENTIALS_FILE = join(__dirname, '../../../infra/credentials.dev.json');

export function gatewayConfigFromEnv(env = process.env): GatewayConfig {
  return {
    port: Number(env.PORT ?? 8080),
    region: env.LM_REGION ?? 'us-east-1',
    natsUrl: env.NATS_URL ?? DEFAULT_NATS_URL,
    credentialsFile: env.LM_CREDENTIALS_FILE ?? DEVELOPMENT_CREDENTIALS_FILE,
    maxBodyBytes: Number(env.LM_MAX_BODY_BYTES ?? 1024 * 1024),
    services: (env.LM_SERVICES ?? 'licensing,discovery')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as ServiceName[],
    operationTimeoutMs: Number(env.LM_OPERATION_TIMEOUT_MS ?? 30_000),
  };
}
