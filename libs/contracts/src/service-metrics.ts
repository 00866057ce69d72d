import type { ServiceName } from './operation-owners';

/**
 * One metric family of a replica, as the Prometheus client describes it (prom-client's
 * `getMetricsAsJSON`): its name, help and type, and every series with its labels. A histogram's
 * series name their `_bucket`, `_sum` and `_count` lines in `metricName`.
 */
export interface MetricFamily {
  name: string;
  help: string;
  /** counter, gauge, histogram or summary */
  type: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

/**
 * What one replica answers on its metrics subject: every metric of its registry (process and
 * runtime metrics included), each series already labelled with `service` and `instance`. The
 * gateway's /metrics shows them beside its own.
 */
export interface ServiceMetrics {
  service: ServiceName;
  /** Tells replicas apart: host name and process id. */
  instance: string;
  families: MetricFamily[];
}
