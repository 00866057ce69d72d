import { join } from 'node:path';
import { BUILT_SERVICES, SERVICE_NAMES, type ServiceName } from '@lm/contracts';
import {
  commonSettings,
  invalid,
  InvalidSettingError,
  milliseconds,
  positiveInteger,
  readSettings,
  setting,
  text,
  type ConfigOf,
  type Environment,
} from '@lm/service-kit';

export const GATEWAY_CONFIG = Symbol('GatewayConfig');
export const NATS_CONNECTION = Symbol('NatsConnection');

export const DEVELOPMENT_CREDENTIALS_FILE = join(__dirname, '../../../infra/credentials.dev.json');

const { natsServers, region, startupTimeoutMs } = commonSettings('gateway');

/** PORT: a TCP port number. */
const port = (variable: string, fallback: number) =>
  setting(variable, (raw) => {
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 1 && value <= 65_535)) throw invalid(variable, 'a port number (1 to 65535)', raw);
    return value;
  });

/** LM_SERVICES: names of the services of this system, comma-separated. */
const serviceNames = (variable: string, fallback: readonly ServiceName[]) =>
  setting(variable, (raw): ServiceName[] => {
    if (raw === undefined) return [...fallback];
    const names = raw
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new InvalidSettingError(
        `${variable} names ${unknown.map((name) => JSON.stringify(name)).join(', ')}, not a service of ${SERVICE_NAMES.join(', ')}`,
      );
    }
    return names as ServiceName[];
  });

const gatewaySettings = {
  port: port('PORT', 8080),
  region,
  natsServers,
  credentialsFile: text('LM_CREDENTIALS_FILE', DEVELOPMENT_CREDENTIALS_FILE),
  maxBodyBytes: positiveInteger('LM_MAX_BODY_BYTES', 1024 * 1024),
  /** The services deployed with this gateway (every service of the build unless said): /health and /metrics ask each. */
  services: serviceNames('LM_SERVICES', BUILT_SERVICES),
  operationTimeoutMs: milliseconds('LM_OPERATION_TIMEOUT_MS', 30_000),
  startupTimeoutMs,
};

export type GatewayConfig = ConfigOf<typeof gatewaySettings>;

/** The gateway's settings; throws a ConfigurationError naming every bad variable. */
export function gatewayConfigFromEnv(env: Environment = process.env): GatewayConfig {
  return readSettings(gatewaySettings, env);
}
