import { Logger } from '@nestjs/common';
import {
  readReplicaPresence,
  REPLICA_PRESENCE_EXPIRY_MS,
  REPLICA_PRESENCE_SUBJECTS,
  type ReplicaPresence,
} from '@lm/messaging';
import type { NatsConnection } from 'nats';

const logger = new Logger('ReplicaDirectory');

/** A replica of a service as the directory knows it. */
export interface LiveReplica {
  name: string;
  /** The share of one core it said it used lately (0 when it did not say). */
  cpu: number;
}

interface Heard {
  /** When it was last heard of, on the monotonic clock. */
  at: number;
  /** When it said it started (epoch ms), or when it was first heard of if it did not say. */
  since: number;
  cpu: number;
  /** Whether it said it runs the service's event relay. */
  relay: boolean;
}

/**
 * The replicas of each service that said lately that they serve their own subjects
 * (replica-presence.ts): a replica is listed from its first announcement until it says it is
 * leaving or REPLICA_PRESENCE_EXPIRY_MS pass without one. Times are on the monotonic clock.
 */
export class ReplicaDirectory {
  /** By service: each replica and what it said last. */
  private readonly heard = new Map<string, Map<string, Heard>>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly expiryMs = REPLICA_PRESENCE_EXPIRY_MS,
  ) {}

  /** Listens on every service's presence subject (until the connection is drained). */
  listen(nc: NatsConnection): this {
    nc.subscribe(REPLICA_PRESENCE_SUBJECTS, {
      callback: (error, msg) => {
        if (error) {
          logger.warn(`replica presence subscription failed: ${error.message}`);
          return;
        }
        const presence = readReplicaPresence(msg.data);
        if (presence) this.record(msg.subject.slice(msg.subject.lastIndexOf('.') + 1), presence);
      },
    });
    return this;
  }

  /** What a replica of `service` said. */
  record(service: string, { replica, leaving, since, cpu, relay }: ReplicaPresence): void {
    let replicas = this.heard.get(service);
    if (!replicas) this.heard.set(service, (replicas = new Map()));
    if (leaving) replicas.delete(replica);
    else
      replicas.set(replica, {
        at: this.now(),
        since: since ?? replicas.get(replica)?.since ?? Date.now(),
        cpu: cpu ?? 0,
        relay: relay === true,
      });
  }

  /**
   * The replicas of `service` heard of within the expiry, in the order the gateway puts them to use
   * (tenant-routing.ts): the one running the event relay first, as it reads its own appends at once
   * and is told of the others' over NATS; then the oldest first, by when they started (by name
   * between equals, so that every gateway orders them alike). Those not heard of are forgotten.
   */
  live(service: string): LiveReplica[] {
    const replicas = this.heard.get(service);
    if (!replicas) return [];
    const oldest = this.now() - this.expiryMs;
    const live: (LiveReplica & Omit<Heard, 'at'>)[] = [];
    for (const [name, { at, ...heard }] of replicas) {
      if (at >= oldest) live.push({ name, ...heard });
      else replicas.delete(name);
    }
    return live
      .sort((a, b) => Number(b.relay) - Number(a.relay) || a.since - b.since || (a.name < b.name ? -1 : 1))
      .map(({ name, cpu }) => ({ name, cpu }));
  }
}
