import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLicenseManager, rawRequest } from '../support/clients';
import { samplesOf, scrapeMetrics, sumOf, type Scrape } from '../support/metrics';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/** Services with JetStream consumers of other services' events. */
const CONSUMING = ['licensing', 'discovery', 'grants'] as const;
const CREATE = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'AWSLicenseManager.CreateLicenseConfiguration',
};

/**
 * The gateway's GET /metrics, the one scrape point: the gateway's own metrics and every
 * service replica's, each series labelled with its service and instance.
 */
describe('metrics gathered by the gateway', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Every service the gateway's /health waits for (the system's deployed services). */
  const deployedServices = async (): Promise<string[]> =>
    Object.keys(((await (await fetch(`${system.endpoint}/health`)).json()) as { services: object }).services);

  /** How much `name{labels}` grew while `act` ran. */
  const growth = async (act: () => Promise<unknown>, name: string, labels: Record<string, string>) => {
    const before = sumOf(await scrapeMetrics(system), name, labels);
    await act();
    return sumOf(await scrapeMetrics(system), name, labels) - before;
  };

  it('is one valid exposition: each metric has one TYPE line and its series together', async () => {
    const { text } = await scrapeMetrics(system);
    const families = text
      .split('\n')
      .filter((line) => line.startsWith('# TYPE '))
      .map((line) => line.split(' ')[2]);
    expect(new Set(families).size).toBe(families.length);
    // A family's samples follow its TYPE line, before the next family's.
    let family = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('# TYPE ')) family = line.split(' ')[2];
      else if (line && !line.startsWith('#')) expect(line.startsWith(family)).toBe(true);
    }
  });

  it('shows the process and runtime metrics of the gateway and of every service', async () => {
    const services = await deployedServices();
    expect(services).toEqual(expect.arrayContaining(CONSUMING));
    const scrape = await scrapeMetrics(system);
    for (const service of ['gateway', ...services]) {
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_p99_seconds',
        'process_start_time_seconds',
      ]) {
        const [sample, ...others] = samplesOf(scrape, name, { service });
        expect(sample, `${name} of ${service}`).toBeDefined();
        expect(others).toHaveLength(0);
        expect(sample.labels.instance).toMatch(/^.+:\d+$/);
      }
    }
    const pids = services.flatMap((service) => system.pids(service as Parameters<RunningSystem['pids']>[0]));
    const instances = samplesOf(scrape, 'process_start_time_seconds')
      .filter((sample) => sample.labels.service !== 'gateway')
      .map((sample) => Number(sample.labels.instance.split(':').pop()));
    expect(instances.sort()).toEqual(pids.sort());
  });

  it('counts a response under its operation, and the NATS request to the service that owns it', async () => {
    const call = () => callLicenseManager(system, accounts.management, 'ListLicenseConfigurations', {});
    const before = await scrapeMetrics(system);
    expect((await call()).status).toBe(200);
    const after = await scrapeMetrics(system);
    const grew = (name: string, labels: Record<string, string>) =>
      sumOf(after, name, labels) - sumOf(before, name, labels);
    const operation = 'ListLicenseConfigurations';
    expect(
      grew('lm_gateway_responses_total', { api: 'license-manager', operation, status: '200', error_code: '' }),
    ).toBe(1);
    expect(grew('lm_gateway_request_duration_seconds_count', { api: 'license-manager', operation })).toBe(1);
    expect(
      grew('lm_gateway_nats_request_duration_seconds_count', { service: 'licensing', operation, outcome: 'ok' }),
    ).toBe(1);
    expect(grew('lm_service_operations_total', { service: 'licensing', operation, outcome: 'ok' })).toBe(1);
    // The request/reply took a measurable time, counted in a bucket below the slowest.
    expect(grew('lm_gateway_nats_request_duration_seconds_sum', { service: 'licensing', operation })).toBeGreaterThan(
      0,
    );
    expect(grew('lm_gateway_nats_request_duration_seconds_bucket', { service: 'licensing', operation, le: '10' })).toBe(
      1,
    );
  });

  it('counts a refusal of the owning service with its error code', async () => {
    const missing = `arn:aws:license-manager:${system.region}:111111111111:license-configuration:lic-${'0'.repeat(32)}`;
    const labels = {
      operation: 'GetLicenseConfiguration',
      status: '400',
      error_code: 'InvalidParameterValueException',
    };
    const grown = await growth(
      async () =>
        expect(
          (
            await callLicenseManager(system, accounts.management, 'GetLicenseConfiguration', {
              LicenseConfigurationArn: missing,
            })
          ).status,
        ).toBe(400),
      'lm_gateway_responses_total',
      labels,
    );
    expect(grown).toBe(1);
  });

  it('counts a failed authentication under the operation it tried', async () => {
    const forger = {
      accountId: '111111111111',
      accessKeys: [{ accessKeyId: accounts.management.accessKeys[0].accessKeyId, secretAccessKey: 'wrong'.repeat(8) }],
    };
    const grown = await growth(
      async () => expect((await rawRequest(system, { account: forger, headers: CREATE, body: '{}' })).status).toBe(403),
      'lm_gateway_responses_total',
      {
        api: 'license-manager',
        operation: 'CreateLicenseConfiguration',
        status: '403',
        error_code: 'InvalidSignatureException',
      },
    );
    expect(grown).toBe(1);
    expect(sumOf(await scrapeMetrics(system), 'lm_gateway_responses_total', { operation: 'unknown' })).toBe(0);
  });

  it('counts a body refused for its size (413) under the operation its target names', async () => {
    const body = JSON.stringify({ Name: 'big', LicenseCountingType: 'vCPU', Description: 'd'.repeat(2 * 1024 * 1024) });
    const grown = await growth(
      async () =>
        expect((await rawRequest(system, { account: accounts.management, headers: CREATE, body })).status).toBe(413),
      'lm_gateway_responses_total',
      {
        api: 'license-manager',
        operation: 'CreateLicenseConfiguration',
        status: '413',
        error_code: 'RequestEntityTooLargeException',
      },
    );
    expect(grown).toBe(1);
  });

  it('times the event-store appends of the service that wrote', async () => {
    const labels = { service: 'licensing', outcome: 'ok' };
    const grown = await growth(
      async () =>
        expect(
          (
            await callLicenseManager(system, accounts.management, 'CreateLicenseConfiguration', {
              Name: 'metrics',
              LicenseCountingType: 'vCPU',
            })
          ).status,
        ).toBe(200),
      'lm_event_store_append_duration_seconds_count',
      labels,
    );
    expect(grown).toBeGreaterThanOrEqual(1);
    const scrape = await scrapeMetrics(system);
    expect(sumOf(scrape, 'lm_event_store_append_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(samplesOf(scrape, 'lm_event_store_version_conflicts_total', { service: 'licensing' })).toHaveLength(1);
    expect(samplesOf(scrape, 'lm_event_store_conflict_retries_total', { service: 'licensing' })).toHaveLength(1);
  });

  it('shows how far the relay and the consumers of every service are behind', async () => {
    let scrape: Scrape = await scrapeMetrics(system);
    // The write above is relayed within moments: the relay's lag comes back to 0.
    for (
      let i = 0;
      i < 50 && sumOf(scrape, 'lm_event_store_checkpoint_lag_seconds', { checkpoint: 'relay:jetstream' }) > 0;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      scrape = await scrapeMetrics(system);
    }
    for (const service of await deployedServices()) {
      const relay = samplesOf(scrape, 'lm_event_store_checkpoint_lag_seconds', {
        service,
        checkpoint: 'relay:jetstream',
      });
      expect(relay.map((sample) => sample.value)).toEqual([0]);
    }
    for (const service of CONSUMING) {
      const consumers = samplesOf(scrape, 'lm_consumer_pending_messages', { service });
      expect(consumers.length, `consumers of ${service}`).toBeGreaterThan(0);
      for (const consumer of consumers) {
        expect(consumer.value).toBeGreaterThanOrEqual(0);
        // Counted from 0 per durable consumer, so that a rate sees the first redelivery.
        const { consumer: durableName } = consumer.labels;
        expect(samplesOf(scrape, 'lm_consumer_redeliveries_total', { service, consumer: durableName })).toHaveLength(1);
      }
    }
    expect(
      samplesOf(scrape, 'lm_event_store_checkpoint_lag_seconds', { service: 'grants' }).map((s) => s.labels.checkpoint),
    ).toContain('grant-distribution');
  });
});
