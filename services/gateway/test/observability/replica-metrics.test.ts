import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '@lm/contracts';
import { createMetricsRegistry, metricFamilies } from '@lm/service-kit';
import { renderMetrics } from '../../src/observability/replica-metrics';
import { parseExposition } from '../../../../test/support/metrics';

/** A replica's families as prom-client describes them: one counter of operations. */
async function replicaFamilies(handled: number): Promise<MetricFamily[]> {
  const registry = new Registry();
  new Counter({
    name: 'lm_service_operations_total',
    help: 'ops',
    labelNames: ['operation'],
    registers: [registry],
  }).inc({ operation: 'GetLicense' }, handled);
  return metricFamilies(registry);
}

describe('renderMetrics', () => {
  it('prints each metric once, with the series of the gateway and of every replica under it, in a stable order', async () => {
    const text = await renderMetrics(
      [],
      [
        { service: 'licensing', instance: 'host-b:2', families: await replicaFamilies(3) },
        { service: 'grants', instance: 'host-a:9', families: await replicaFamilies(12) },
        { service: 'licensing', instance: 'host-a:1', families: await replicaFamilies(7) },
      ],
    );
    expect(text.trim().split('\n')).toEqual([
      '# HELP lm_service_operations_total ops',
      '# TYPE lm_service_operations_total counter',
      'lm_service_operations_total{operation="GetLicense",service="grants",instance="host-a:9"} 12',
      'lm_service_operations_total{operation="GetLicense",service="licensing",instance="host-a:1"} 7',
      'lm_service_operations_total{operation="GetLicense",service="licensing",instance="host-b:2"} 3',
    ]);
  });

  it('labels every series with the service and instance of the answer that carried it', async () => {
    const families = await replicaFamilies(1);
    families[0].values[0].labels = { operation: 'x', service: 'forged', instance: 'forged' };
    const text = await renderMetrics([], [{ service: 'grants', instance: 'pod "a"\\1\n', families }]);
    expect(text).toContain(
      'lm_service_operations_total{operation="x",service="grants",instance="pod \\"a\\"\\\\1\\n"} 1',
    );
  });

  it('keeps every process metric of every process, the start time included', async () => {
    const gateway = await metricFamilies(createMetricsRegistry('gateway'));
    const licensing = await metricFamilies(createMetricsRegistry('licensing'));
    const samples = parseExposition(
      await renderMetrics(gateway, [{ service: 'licensing', instance: 'host:7', families: licensing }]),
    );
    const startTimes = samples.filter((sample) => sample.name === 'process_start_time_seconds');
    expect(startTimes.map((sample) => sample.labels.service)).toEqual(['gateway', 'licensing']);
    const histogram = samples.filter(
      (sample) => sample.name === 'nodejs_gc_duration_seconds_count' || sample.name === 'process_cpu_seconds_total',
    );
    expect(new Set(histogram.map((sample) => sample.labels.service))).toEqual(new Set(['gateway', 'licensing']));
  });
});
