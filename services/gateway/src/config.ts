import { join } from 'node:path';
import { BUILT_SERVICES, SERVICE_NAMES, type ServiceName } from '@lm/contracts';
import {
  commonSettings,
  InvalidSettingError,
  list,
  milliseconds,
  oneOf,
  nonNegativeNumber,
  positiveInteger,
  readSettings,
  setting,
  tcpPort,
  text,
  type ConfigOf,
  type Environment,
} from '@lm/service-kit';
import { GATEWAY_DIRECTORY } from './package-directory';

export const GATEWAY_CONFIG = Symbol('GatewayConfig');
export const NATS_CONNECTION = Symbol('NatsConnection');

export const DEVELOPMENT_CREDENTIALS_FILE = join(GATEWAY_DIRECTORY, '../../infra/credentials.dev.json');

const { natsServers, region, startupTimeoutMs } = commonSettings('gateway');

/** LM_SERVICES: names of the services of this system, comma-separated; each must be one of ours. */
const serviceNames = (variable: string, fallback: readonly ServiceName[]) =>
  setting(variable, (_, env): ServiceName[] => {
    const names = list(variable, fallback).read(env);
    const unknown = names.filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new InvalidSettingError(
        `${variable} names ${unknown.map((name) => JSON.stringify(name)).join(', ')}, not a service of ${SERVICE_NAMES.join(', ')}`,
      );
    }
    return names as ServiceName[];
  });

/** A positive whole number when set; undefined (no limit) when unset. */
const optionalPositiveInteger = (variable: string) =>
  setting(variable, (raw) => (raw === undefined ? undefined : positiveInteger(variable, 1).read({ [variable]: raw })));

/**
 * LM_RATE_LIMIT_PER_ACCOUNT (requests per second) with LM_RATE_LIMIT_BURST (one second's worth unless
 * said): each account's token bucket; no limit when the rate is unset.
 */
const accountRateLimit = setting('LM_RATE_LIMIT_PER_ACCOUNT', (_, env) => {
  const requestsPerSecond = optionalPositiveInteger('LM_RATE_LIMIT_PER_ACCOUNT').read(env);
  const burst = optionalPositiveInteger('LM_RATE_LIMIT_BURST').read(env);
  if (requestsPerSecond === undefined) {
    if (burst !== undefined)
      throw new InvalidSettingError('LM_RATE_LIMIT_BURST needs LM_RATE_LIMIT_PER_ACCOUNT, the rate it is a burst of');
    return undefined;
  }
  return { requestsPerSecond, burst: burst ?? requestsPerSecond };
});

const gatewaySettings = {
  port: tcpPort('PORT', 8080),
  region,
  natsServers,
  credentialsFile: text('LM_CREDENTIALS_FILE', DEVELOPMENT_CREDENTIALS_FILE),
  maxBodyBytes: positiveInteger('LM_MAX_BODY_BYTES', 1024 * 1024),
  /** The path and query of a request, above which it is answered 414 in its API's error shape. */
  maxUrlBytes: positiveInteger('LM_MAX_URL_BYTES', 8 * 1024),
  /** Node's maxHeaderSize: the request line and headers together, above which Node answers a bare 431. */
  maxHeaderBytes: positiveInteger('LM_MAX_HEADER_BYTES', 16 * 1024),
  accountRateLimit,
  /** Requests worked on at once, all accounts together; more are throttled without their body being read. */
  maxInFlightRequests: positiveInteger('LM_MAX_IN_FLIGHT_REQUESTS', 1024),
  /** Open connections, idle or not; Node closes any further one as soon as it is accepted. */
  maxConnections: positiveInteger('LM_MAX_CONNECTIONS', 4096),
  /** How long a client may take to send a request's headers (slow-loris), and its whole request. */
  headersTimeoutMs: milliseconds('LM_HEADERS_TIMEOUT_MS', 20_000),
  requestTimeoutMs: milliseconds('LM_REQUEST_TIMEOUT_MS', 60_000),
  /**
   * How long an idle kept-alive connection stays open. Clients keep connections open between calls
   * (the SDKs pool them): the server must not close an idle one just as a client reuses it, so it
   * keeps them longer than clients' usual idle time.
   */
  keepAliveTimeoutMs: milliseconds('LM_KEEP_ALIVE_TIMEOUT_MS', 65_000),
  /** The services deployed with this gateway (every service of the build unless said): /health and /metrics ask each. */
  services: serviceNames('LM_SERVICES', BUILT_SERVICES),
  operationTimeoutMs: milliseconds('LM_OPERATION_TIMEOUT_MS', 30_000),
  /**
   * How requests are shared among a service's replicas: `tenant`, each account's requests to one
   * replica while it is not busy (routing/tenant-routing.ts); `any`, to whichever replica of the
   * service's queue group NATS picks.
   */
  replicaRouting: oneOf('LM_REPLICA_ROUTING', ['tenant', 'any'], 'tenant'),
  /**
   * With tenant routing: how many requests of this gateway a replica may have in flight before an
   * account's further requests go on to its next replica. On two cores, splitting one licence's
   * checkouts between two replicas at 64 clients cost more than it gained (docs/performance.md).
   */
  tenantSpillInFlight: positiveInteger('LM_TENANT_SPILL_IN_FLIGHT', 64),
  /**
   * With tenant routing: the share of one core above which a replica counts as busy. The gateway
   * puts a service's replicas to use (the one running the event relay first, then the oldest) only
   * as the ones in use get busy (routing/replicas-in-use.ts); 0 puts every replica to use at once.
   */
  replicaBusyCpu: nonNegativeNumber('LM_REPLICA_BUSY_CPU', 0.75),
  startupTimeoutMs,
};

export type GatewayConfig = ConfigOf<typeof gatewaySettings>;

/** The gateway's settings; throws a ConfigurationError naming every bad variable. */
export function gatewayConfigFromEnv(env: Environment = process.env): GatewayConfig {
  return readSettings(gatewaySettings, env);
}
