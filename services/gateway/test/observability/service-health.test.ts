import type { ServiceName } from '@lm/contracts';
import { describe, expect, it } from 'vitest';
import { cachedServicePresence } from '../../src/observability/service-health';

describe('cachedServicePresence', () => {
  const counting = () => {
    const probes: ServiceName[] = [];
    let running = true;
    return {
      probes,
      stop: () => (running = false),
      probe: async (service: ServiceName) => {
        probes.push(service);
        return running;
      },
    };
  };

  it('asks once per service for a flood of concurrent and later questions within the period', async () => {
    const fake = counting();
    let now = 0;
    const presence = cachedServicePresence(fake.probe, { ttlMs: 1_000, now: () => now });
    const answers = await Promise.all(Array.from({ length: 100 }, () => presence('licensing')));
    now = 999;
    answers.push(await presence('licensing'), await presence('reporting'));
    expect(answers.every(Boolean)).toBe(true);
    expect(fake.probes).toEqual(['licensing', 'reporting']);
  });

  it('asks again once the period is over, and learns that the service stopped', async () => {
    const fake = counting();
    let now = 0;
    const presence = cachedServicePresence(fake.probe, { ttlMs: 1_000, now: () => now });
    expect(await presence('grants')).toBe(true);
    fake.stop();
    now = 1_000;
    expect(await presence('grants')).toBe(false);
    expect(fake.probes).toEqual(['grants', 'grants']);
  });
});
