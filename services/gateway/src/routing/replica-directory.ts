import { Logger } from '@nestjs/common';
import {
  readReplicaPresence,
  REPLICA_PRESENCE_EXPIRY_MS,
  REPLICA_PRESENCE_SUBJECTS,
  type ReplicaPresence,
} from '@lm/messaging';
import type { NatsConnection } from 'nats';

const logger = new Logger('ReplicaDirectory');

/**
 * The replicas of each service that said lately that they serve their own subjects
 * (replica-presence.ts): a replica is listed from its first announcement until it says it is
 * leaving or REPLICA_PRESENCE_EXPIRY_MS pass without one. Times are on the monotonic clock.
 */
export class ReplicaDirectory {
  /** By service: each replica and when it was last heard of. */
  private readonly heard = new Map<string, Map<string, number>>();

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
  record(service: string, presence: ReplicaPresence): void {
    let replicas = this.heard.get(service);
    if (!replicas) this.heard.set(service, (replicas = new Map()));
    if (presence.leaving) replicas.delete(presence.replica);
    else replicas.set(presence.replica, this.now());
  }

  /** The replicas of `service` heard of within the expiry; those not are forgotten. */
  live(service: string): string[] {
    const replicas = this.heard.get(service);
    if (!replicas) return [];
    const oldest = this.now() - this.expiryMs;
    const live: string[] = [];
    for (const [replica, at] of replicas) {
      if (at >= oldest) live.push(replica);
      else replicas.delete(replica);
    }
    return live;
  }
}
