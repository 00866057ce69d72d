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
}

/** How often a replica says it is there. */
export const REPLICA_PRESENCE_INTERVAL_MS = 1_000;
/**
 * A replica not heard of for this long is taken for gone: three announcements missed, so that a
 * busy event loop or a lost message does not drop a live one.
 */
export const REPLICA_PRESENCE_EXPIRY_MS = 3.5 * REPLICA_PRESENCE_INTERVAL_MS;

const codec = JSONCodec<ReplicaPresence>();

/**
 * A name for this process among its service's replicas, a single subject token (a host name may
 * hold dots, which separate tokens).
 */
export function newReplicaName(): string {
  return randomBytes(8).toString('hex');
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
  intervalMs = REPLICA_PRESENCE_INTERVAL_MS,
): ReplicaAnnouncement {
  const subject = replicaPresenceSubject(service);
  const say = (presence: ReplicaPresence) => {
    // A connection closing under it (shutdown) has nothing to tell any more.
    if (!nc.isClosed()) nc.publish(subject, codec.encode(presence));
  };
  say({ replica });
  const timer = setInterval(() => say({ replica }), intervalMs);
  timer.unref();
  return {
    leave() {
      clearInterval(timer);
      say({ replica, leaving: true });
    },
  };
}

/** A presence message as received; undefined for anything else on the subject. */
export function readReplicaPresence(data: Uint8Array): ReplicaPresence | undefined {
  try {
    const presence = codec.decode(data) as Partial<ReplicaPresence> | null;
    return typeof presence?.replica === 'string' && /^[\w-]+$/.test(presence.replica)
      ? { replica: presence.replica, ...(presence.leaving === true ? { leaving: true } : {}) }
      : undefined;
  } catch {
    return undefined;
  }
}
