import type { ServiceHealth, ServiceName } from '@lm/contracts';
import { healthSubject } from '@lm/messaging';
import { JSONCodec, type NatsConnection } from 'nats';

const codec = JSONCodec();

/**
 * Asks a service's replicas for their health (the packet format of Nest's NATS transport): null when
 * none answers in time, otherwise whether it is healthy (its database answers) and what it handles.
 */
export async function probeServiceHealth(
  nc: NatsConnection,
  service: ServiceName,
  timeoutMs: number,
): Promise<{ healthy: boolean; health?: ServiceHealth } | null> {
  const subject = healthSubject(service);
  let reply;
  try {
    reply = await nc.request(subject, codec.encode({ pattern: subject, data: {}, id: 'health' }), {
      timeout: timeoutMs,
    });
  } catch {
    return null;
  }
  const packet = codec.decode(reply.data) as { response?: ServiceHealth };
  const health = packet.response;
  return health?.status === 'ok' ? { healthy: true, health } : { healthy: false };
}

/** Whether any replica of a service is connected. */
export type ServicePresence = (service: ServiceName) => Promise<boolean>;

/**
 * Presence from health probes, remembered for `ttlMs` and shared by concurrent askers, so that a
 * flood of requests for an operation nobody serves asks NATS once per service and period. The
 * period runs on the monotonic clock: the wall clock stepped back would keep an answer for hours.
 */
export function cachedServicePresence(
  probe: ServicePresence,
  options: { ttlMs: number; now?: () => number },
): ServicePresence {
  const now = options.now ?? (() => performance.now());
  const known = new Map<ServiceName, { running: Promise<boolean>; at: number }>();
  return (service) => {
    const cached = known.get(service);
    if (cached && now() - cached.at < options.ttlMs) return cached.running;
    const running = probe(service);
    known.set(service, { running, at: now() });
    return running;
  };
}
