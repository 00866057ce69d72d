import { randomBytes } from 'node:crypto';
import { JSONCodec, type NatsConnection } from 'nats';
import { replicaPresenceSubject } from './subjects';

/**
 * What a replica of a service says on its presence subject: that it serves its replica subjects
 * (replicaSubject), or, once, that it is leaving.
 */
export interface ReplicaPresence {
  replica: string;
  leaving?: true;
  /**
   * When the replica started announcing (epoch ms): after the relay's replica, the gateway puts a
   * service's replicas to use oldest first, so that a new one takes requests only once the others
   * are busy.
   */
  since?: number;
  /**
   * The share of one core the process used lately (process.cpuUsage, averaged over about
   * CPU_AVERAGE_MS): what the gateway reads as how busy the replica is.
   */
  cpu?: number;
  /**
   * Whether it runs its service's event relay (the subscription lease's holder): it reads its own
   * appends at once, while other replicas tell it of theirs over NATS, so the gateway puts it to
   * use first.
   */
  relay?: true;
}

/** How often a replica says it is there. */
export const REPLICA_PRESENCE_INTERVAL_MS = 1_000;
/**
 * A replica not heard of for this long is taken for gone: three announcements missed, so that a
 * busy event loop or a lost message does not drop a live one.
 */
export const REPLICA_PRESENCE_EXPIRY_MS = 3.5 * REPLICA_PRESENCE_INTERVAL_MS;

/**
 * The time constant of the CPU figure's exponential average: a second's spike moves it a sixth of
 * the way, so that the gateway does not put a replica to use, or stop, for one busy moment.
 */
export const CPU_AVERAGE_MS = 5_000;

const codec = JSONCodec<ReplicaPresence>();

/**
 * A name for this process among its service's replicas, a single subject token (a host name may
 * hold dots, which separate tokens).
 */
export function newReplicaName(): string {
  return randomBytes(8).toString('hex');
}

export interface AnnounceOptions {
  /** Whether the replica runs its service's event relay now (read at each announcement). */
  runsRelay?: () => boolean;
  intervalMs?: number;
}

export interface ReplicaAnnouncement {
  /** Says once that the replica is leaving, and stops announcing it. */
  leave(): void;
}

/**
 * Says now, and every REPLICA_PRESENCE_INTERVAL_MS, that `replica` serves `service`'s replica
 * subjects. Call it once those subscriptions are made.
 */
export function announceReplica(
  nc: NatsConnection,
  service: string,
  replica: string,
  { runsRelay = () => false, intervalMs = REPLICA_PRESENCE_INTERVAL_MS }: AnnounceOptions = {},
): ReplicaAnnouncement {
  const subject = replicaPresenceSubject(service);
  const since = Date.now();
  const cpu = cpuAverage();
  const say = (presence: ReplicaPresence) => {
    // A connection closing under it (shutdown) has nothing to tell any more.
    if (!nc.isClosed()) nc.publish(subject, codec.encode(presence));
  };
  const present = (cpuNow: number): ReplicaPresence => ({
    replica,
    since,
    cpu: cpuNow,
    ...(runsRelay() ? { relay: true } : {}),
  });
  say(present(0));
  const timer = setInterval(() => say(present(cpu())), intervalMs);
  timer.unref();
  return {
    leave() {
      clearInterval(timer);
      say({ replica, leaving: true });
    },
  };
}

/**
 * The process's CPU (user and system, in cores) since the last call, averaged exponentially with
 * the earlier calls' over CPU_AVERAGE_MS.
 */
function cpuAverage(): () => number {
  let last = { usage: process.cpuUsage(), at: performance.now() };
  let average = 0;
  return () => {
    const now = { usage: process.cpuUsage(), at: performance.now() };
    const elapsedMs = now.at - last.at;
    if (elapsedMs <= 0) return average;
    const usedMs = (now.usage.user - last.usage.user + now.usage.system - last.usage.system) / 1_000;
    const weight = 1 - Math.exp(-elapsedMs / CPU_AVERAGE_MS);
    average += weight * (usedMs / elapsedMs - average);
    last = now;
    return Math.round(average * 1_000) / 1_000;
  };
}

const finiteNonNegative = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** A presence message as received; undefined for anything else on the subject. */
export function readReplicaPresence(data: Uint8Array): ReplicaPresence | undefined {
  try {
    const presence = codec.decode(data) as Partial<ReplicaPresence> | null;
    if (typeof presence?.replica !== 'string' || !/^[\w-]+$/.test(presence.replica)) return undefined;
    const { replica, leaving, since, cpu, relay } = presence;
    return {
      replica,
      ...(leaving === true ? { leaving: true } : {}),
      ...(relay === true ? { relay: true } : {}),
      ...(finiteNonNegative(since) ? { since } : {}),
      ...(finiteNonNegative(cpu) ? { cpu } : {}),
    };
  } catch {
    return undefined;
  }
}
