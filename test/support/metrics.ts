import type { RunningSystem } from './system';

/** One series of the gateway's /metrics: a counter of one replica of a service. */
export interface ReplicaCounter {
  service: string;
  /** `host:pid` */
  instance: string;
  pid: number;
  counter: string;
  value: number;
}

const SERIES = /^lm_service_counter_total\{service="([^"]*)",instance="([^"]*)",counter="([^"]*)"\} (\d+(?:\.\d+)?)$/;

/** The counters of every replica, as the gateway's GET /metrics shows them. */
export async function replicaCounters(system: RunningSystem): Promise<ReplicaCounter[]> {
  const response = await fetch(`${system.endpoint}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return (await response.text()).split('\n').flatMap((line) => {
    const match = SERIES.exec(line);
    if (!match) return [];
    const [, service, instance, counter, value] = match;
    return [{ service, instance, pid: Number(instance.split(':').pop()), counter, value: Number(value) }];
  });
}

/** A counter of each replica of a service, by process id (0 for a replica that has not counted it yet). */
export function counterByReplica(counters: ReplicaCounter[], service: string, counter: string, pids: number[]) {
  return pids.map(
    (pid) => counters.find((c) => c.service === service && c.counter === counter && c.pid === pid)?.value ?? 0,
  );
}
