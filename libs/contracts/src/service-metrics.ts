import type { ServiceName } from './operation-owners';

/**
 * What one replica answers on its metrics subject: monotonic counters since it started, named
 * in snake case (e.g. `version_conflict_retries`). The gateway's /metrics shows them per replica.
 */
export interface ServiceMetrics {
  service: ServiceName;
  /** Tells replicas apart: host name and process id. */
  instance: string;
  counters: Record<string, number>;
}
