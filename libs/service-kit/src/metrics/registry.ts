import { hostname } from 'node:os';
import type { MetricFamily } from '@lm/contracts';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** The metrics registry of a service's process, by injection token: `@Inject(METRICS) registry: Registry`. */
export const METRICS = Symbol('Metrics');

/** Tells replicas apart on a scrape: host name and process id. */
export function instanceName(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * How often the event loop's delay is sampled, in ms. The Prometheus client's default, 10, is a
 * timer that wakes every process a hundred times a second, idle or not: most of an idle service's
 * CPU (about 12 ms a second each), which on a machine of few cores the request path pays for. Ten
 * samples a second still give the lag's distribution (nodejs_eventloop_lag_p99_seconds and the rest).
 */
export const EVENT_LOOP_SAMPLING_MS = 100;

/**
 * A process's registry: every series carries the `service` and `instance` labels (so that one
 * scrape of the gateway, which gathers every replica, keeps them apart), and the Prometheus
 * client's default process and runtime metrics (CPU, memory, heap, event-loop lag, GC, handles).
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service, instance: instanceName() });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLING_MS });
  return registry;
}

/** Every metric of a registry, as a replica sends it to the gateway (see ServiceMetrics). */
export async function metricFamilies(registry: Registry): Promise<MetricFamily[]> {
  // prom-client's typings declare `type` a numeric enum; at run time it is the text format's word ('counter').
  return (await registry.getMetricsAsJSON()) as unknown as MetricFamily[];
}
