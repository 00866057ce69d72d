import type { Guard } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../src/config/service-config';
import { positiveInteger } from '../src/config/settings';
import type { ServiceDefinition } from '../src/service-definition';
import { openServiceStorage } from '../src/service-storage';

const quotaGuard = (quota: number): Guard => ({
  name: 'license-configuration-quota',
  eventTypes: ['LicenseConfigurationCreated'],
  handle: async () => {
    if (quota < 0) throw new Error('unreachable');
  },
  truncate: async () => {},
});

const licensing: ServiceDefinition<{ quota: ReturnType<typeof positiveInteger> }> = {
  name: 'licensing',
  schema: 'licensing',
  migrations: {},
  config: { quota: positiveInteger('LM_QUOTA_LICENSE_CONFIGURATIONS', 25) },
  guards: (config) => [quotaGuard(config.quota)],
};

describe("a service's storage", () => {
  it('is refused, before anything is opened, on an event store that cannot run its guards', async () => {
    // The database URL points nowhere: the refusal must come before any connection is tried.
    const env = {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: 'esdb://nowhere:1',
      DATABASE_URL: 'postgres://nowhere:1/x',
    };
    await expect(openServiceStorage(licensing, loadServiceConfig(licensing, env))).rejects.toThrow(
      "licensing enforces rules inside the append's transaction (license-configuration-quota); " +
        'EVENT_STORE=eventstoredb cannot run them: use postgres',
    );
  });

  it("reads the common settings and the service's own together, listing every bad one", () => {
    expect(() =>
      loadServiceConfig(licensing, { LM_QUOTA_LICENSE_CONFIGURATIONS: 'x', DATABASE_POOL_SIZE: '0' }),
    ).toThrow(
      'DATABASE_POOL_SIZE must be a positive integer, not "0"\n' +
        'LM_QUOTA_LICENSE_CONFIGURATIONS must be a positive integer, not "x"',
    );
    expect(
      loadServiceConfig(licensing, { LM_QUOTA_LICENSE_CONFIGURATIONS: '3', LM_REGION: 'eu-west-1' }),
    ).toMatchObject({ common: { region: 'eu-west-1' }, own: { quota: 3 } });
  });
});
