import type { OperationRequest, AnonymousOperationRequest } from '@lm/contracts';
import {
  NoRespondersError,
  REPLICA_PRESENCE_INTERVAL_MS,
  replicaSubject,
  type OperationClient,
  type OperationReply,
} from '@lm/messaging';
import type { LiveReplica, ReplicaDirectory } from './replica-directory';
import { replicasInUse } from './replicas-in-use';

/** What the routing tells of its choices (the gateway's metrics). */
export interface RoutingObserver {
  /** How a request was routed (lm_gateway_replica_routes_total). */
  routed(service: string, route: Route): void;
  /** How many of a service's replicas tenants are spread over now (lm_gateway_replicas_in_use). */
  inUse(service: string, replicas: number): void;
}

/**
 * Which replica of a service serves a request: the one place where the gateway decides it.
 *
 * The replicas in use are the first few of the service's live replicas in the directory's order
 * (the one running the event relay, then the oldest), as many as keep each below a busy share of
 * a core (replicas-in-use.ts, read once per presence interval). A tenant (the caller's account)
 * has an order of preference among them by rendezvous hashing: each replica's score for the tenant
 * is a hash of both, highest first; the replicas not in use come after them, in the directory's
 * order. Its requests go to the first replica of that order with fewer than
 * `spillAt` requests of this gateway in flight, or, when all have as many, to the one with the
 * fewest. Why:
 * - A replica's group commits, its kept states and its turns on a stream's lock are per replica:
 *   one licence's checkouts shared by two replicas made both take turns on its stream with half a
 *   batch each, and spread accounts' Creates cost more per request on two replicas than on one
 *   (docs/performance.md, Scale-out). Kept on as few replicas as the load needs, they stay whole.
 * - Rendezvous hashing moves only the tenants of a replica that comes or goes; the rest keep theirs.
 * - A tenant busier than one replica can serve spills over to its next ones (consistent hashing
 *   with bounded loads), rather than queueing behind a replica that is saturated.
 *
 * Nothing depends on it for correctness: the event store's versions and guards hold whichever
 * replicas serve a tenant, and a replica that has just gone (its subject without responders) is
 * passed over for the service's queue group, as are requests without a caller and services whose
 * replicas have not said they are there.
 */
export class TenantRouting {
  /** Requests in flight by replica, from this gateway. */
  private readonly inFlight = new Map<string, number>();
  /** By service: how many replicas are in use, and when that was last read (monotonic ms). */
  private readonly inUseBy = new Map<string, { replicas: number; readAt: number }>();

  constructor(
    private readonly client: OperationClient,
    private readonly replicas: ReplicaDirectory,
    private readonly spillAt: number,
    /** The share of one core above which a replica counts as busy (LM_REPLICA_BUSY_CPU). */
    private readonly busyCpu: number,
    private readonly observer: RoutingObserver = { routed: () => {}, inUse: () => {} },
    private readonly now: () => number = () => performance.now(),
  ) {}

  async call(
    service: string,
    tenant: string | undefined,
    subject: string,
    request: OperationRequest | AnonymousOperationRequest,
  ): Promise<OperationReply> {
    const choice = tenant === undefined ? undefined : this.choose(service, tenant);
    this.observer.routed(service, choice?.route ?? 'queue_group');
    if (choice === undefined) return this.client.call(subject, request);
    const { replica } = choice;
    this.inFlight.set(replica, (this.inFlight.get(replica) ?? 0) + 1);
    try {
      return await this.client.call(subject, request, replicaSubject(replica, subject));
    } catch (error) {
      if (!(error instanceof NoRespondersError)) throw error;
      // Gone since it last said it was there: it announces no more, and any replica may answer.
      this.observer.routed(service, 'gone');
      return this.client.call(subject, request);
    } finally {
      const left = this.inFlight.get(replica)! - 1;
      if (left === 0) this.inFlight.delete(replica);
      else this.inFlight.set(replica, left);
    }
  }

  /** The replica of `service` that serves `tenant` now; undefined when none is known. */
  replicaFor(service: string, tenant: string): string | undefined {
    return this.choose(service, tenant)?.replica;
  }

  private choose(service: string, tenant: string): { replica: string; route: 'preferred' | 'spilled' } | undefined {
    const live = this.replicas.live(service);
    if (live.length <= 1) return live.length === 0 ? undefined : { replica: live[0].name, route: 'preferred' };
    const inUse = this.inUseCount(service, live);
    const preference = live
      .slice(0, inUse)
      .map(({ name }) => ({ name, score: rendezvousScore(tenant, name) }))
      .sort((a, b) => b.score - a.score)
      .concat(live.slice(inUse).map(({ name }) => ({ name, score: 0 })));
    const routeTo = (replica: string) =>
      ({ replica, route: replica === preference[0].name ? 'preferred' : 'spilled' }) as const;
    let leastBusy = preference[0].name;
    for (const { name } of preference) {
      const busy = this.inFlight.get(name) ?? 0;
      if (busy < this.spillAt) return routeTo(name);
      if (busy < (this.inFlight.get(leastBusy) ?? 0)) leastBusy = name;
    }
    return routeTo(leastBusy);
  }

  /** How many of `live` (in the directory's order) are in use, read again once per presence interval. */
  private inUseCount(service: string, live: readonly LiveReplica[]): number {
    const now = this.now();
    const known = this.inUseBy.get(service);
    if (known && now - known.readAt < REPLICA_PRESENCE_INTERVAL_MS) return Math.min(known.replicas, live.length);
    const replicas = replicasInUse(
      known?.replicas ?? 1,
      live.map(({ cpu }) => cpu),
      this.busyCpu,
    );
    this.inUseBy.set(service, { replicas, readAt: now });
    this.observer.inUse(service, replicas);
    return replicas;
  }
}

/**
 * How a request was routed: to its account's `preferred` replica, `spilled` over to another (its
 * own was busy), or to the service's `queue_group` (no caller, or no replica heard of); `gone`
 * counts, besides, the requests whose replica had no responders and went on to the queue group.
 */
export type Route = 'preferred' | 'spilled' | 'queue_group' | 'gone';

/**
 * A replica's score for a tenant: 32-bit FNV-1a over both, then MurmurHash3's finalizer, whose
 * avalanche spreads tenants evenly even among names that differ in a character.
 */
export function rendezvousScore(tenant: string, replica: string): number {
  let hash = 0x811c9dc5;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  };
  mix(tenant);
  mix('/');
  mix(replica);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
