import { BUILT_SERVICES } from '@lm/contracts';
import { ConfigurationError } from '@lm/service-kit';
import { describe, expect, it } from 'vitest';
import { gatewayConfigFromEnv } from '../src/config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    gatewayConfigFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
};

describe('the gateway configuration', () => {
  it('waits for every service of the build unless LM_SERVICES says otherwise', () => {
    expect(gatewayConfigFromEnv({}).services).toEqual(BUILT_SERVICES);
    expect(gatewayConfigFromEnv({ LM_SERVICES: ' licensing , grants' }).services).toEqual(['licensing', 'grants']);
  });

  it('reads NATS_URL as a list of servers, and the defaults of everything else', () => {
    expect(gatewayConfigFromEnv({ NATS_URL: 'nats://a:4222,nats://b:4222' })).toMatchObject({
      natsServers: ['nats://a:4222', 'nats://b:4222'],
      port: 8080,
      region: 'us-east-1',
      maxBodyBytes: 1024 * 1024,
      operationTimeoutMs: 30_000,
    });
  });

  it('bounds floods and slow clients by default, with no per-account rate unless one is set', () => {
    expect(gatewayConfigFromEnv({})).toMatchObject({
      accountRateLimit: undefined,
      maxInFlightRequests: 1024,
      maxConnections: 4096,
      maxUrlBytes: 8192,
      maxHeaderBytes: 16384,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 65_000,
    });
    expect(gatewayConfigFromEnv({ LM_RATE_LIMIT_PER_ACCOUNT: '50' }).accountRateLimit).toEqual({
      requestsPerSecond: 50,
      burst: 50,
    });
    expect(
      gatewayConfigFromEnv({ LM_RATE_LIMIT_PER_ACCOUNT: '50', LM_RATE_LIMIT_BURST: '200' }).accountRateLimit,
    ).toEqual({ requestsPerSecond: 50, burst: 200 });
    expect(problemsOf({ LM_RATE_LIMIT_PER_ACCOUNT: '0', LM_MAX_IN_FLIGHT_REQUESTS: 'many' })).toEqual([
      'LM_RATE_LIMIT_PER_ACCOUNT must be a positive integer, not "0"',
      'LM_MAX_IN_FLIGHT_REQUESTS must be a positive integer, not "many"',
    ]);
    expect(problemsOf({ LM_RATE_LIMIT_BURST: '10' })).toEqual([
      'LM_RATE_LIMIT_BURST needs LM_RATE_LIMIT_PER_ACCOUNT, the rate it is a burst of',
    ]);
  });

  it('routes each account to one replica by default, spilling over beyond 64 in flight, and refuses other routings', () => {
    expect(gatewayConfigFromEnv({})).toMatchObject({
      replicaRouting: 'tenant',
      tenantSpillInFlight: 64,
      replicaBusyCpu: 0.75,
    });
    expect(gatewayConfigFromEnv({ LM_REPLICA_BUSY_CPU: '0' }).replicaBusyCpu).toBe(0);
    expect(gatewayConfigFromEnv({ LM_REPLICA_BUSY_CPU: '1.5' }).replicaBusyCpu).toBe(1.5);
    for (const bad of ['-0.5', 'half', '1e3'])
      expect(problemsOf({ LM_REPLICA_BUSY_CPU: bad }).join('\n')).toMatch(/LM_REPLICA_BUSY_CPU/);
    expect(gatewayConfigFromEnv({ LM_REPLICA_ROUTING: 'any', LM_TENANT_SPILL_IN_FLIGHT: '8' })).toMatchObject({
      replicaRouting: 'any',
      tenantSpillInFlight: 8,
    });
    const problems = problemsOf({ LM_REPLICA_ROUTING: 'random', LM_TENANT_SPILL_IN_FLIGHT: '0' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/LM_REPLICA_ROUTING/);
    expect(problems.join('\n')).toMatch(/LM_TENANT_SPILL_IN_FLIGHT/);
  });

  it('refuses bad values, naming each variable', () => {
    expect(
      problemsOf({
        PORT: '80a',
        LM_MAX_BODY_BYTES: '0',
        LM_OPERATION_TIMEOUT_MS: '-5',
        LM_SERVICES: 'licensing,billing',
      }),
    ).toEqual([
      'PORT must be a TCP port (1 to 65535), not "80a"',
      'LM_MAX_BODY_BYTES must be a positive integer, not "0"',
      'LM_SERVICES names "billing", not a service of licensing, discovery, grants, conversion, user-subscriptions, linux-subscriptions, reporting',
      'LM_OPERATION_TIMEOUT_MS must be a positive integer (milliseconds), not "-5"',
    ]);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must be a TCP port (1 to 65535), not "70000"']);
  });
});
