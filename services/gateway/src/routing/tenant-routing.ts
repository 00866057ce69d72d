import type { OperationRequest, AnonymousOperationRequest } from '@lm/contracts';
import { NoRespondersError, replicaSubject, type OperationClient, type OperationReply } from '@lm/messaging';
import type { ReplicaDirectory } from './replica-directory';

/**
 * Which replica of a service serves a request: the one place where the gateway decides it.
 *
 * A tenant (the caller's account) has an order of preference among a service's live replicas,
 * by rendezvous hashing: each replica's score for the tenant is a hash of both, highest first. Its
 * requests go to the first replica of that order with fewer than `spillAt` requests of this
 * gateway in flight, or, when all have as many, to the one with the fewest. Why:
 * - A replica's group commits, its kept states and its turns on a stream's lock are per replica:
 *   one licence's checkouts shared by two replicas made both take turns on its stream with half a
 *   batch each (docs/performance.md, Scale-out). Kept on one replica, they stay whole.
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

  constructor(
    private readonly client: OperationClient,
    private readonly replicas: ReplicaDirectory,
    private readonly spillAt: number,
    /** Told how each request was routed (the gateway's lm_gateway_replica_routes_total). */
    private readonly routed: (service: string, route: Route) => void = () => {},
  ) {}

  async call(
    service: string,
    tenant: string | undefined,
    subject: string,
    request: OperationRequest | AnonymousOperationRequest,
  ): Promise<OperationReply> {
    const choice = tenant === undefined ? undefined : this.choose(service, tenant);
    this.routed(service, choice?.route ?? 'queue_group');
    if (choice === undefined) return this.client.call(subject, request);
    const { replica } = choice;
    this.inFlight.set(replica, (this.inFlight.get(replica) ?? 0) + 1);
    try {
      return await this.client.call(subject, request, replicaSubject(replica, subject));
    } catch (error) {
      if (!(error instanceof NoRespondersError)) throw error;
      // Gone since it last said it was there: it announces no more, and any replica may answer.
      this.routed(service, 'gone');
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
    if (live.length <= 1) return live.length === 0 ? undefined : { replica: live[0], route: 'preferred' };
    const preference = live
      .map((replica) => ({ replica, score: rendezvousScore(tenant, replica) }))
      .sort((a, b) => b.score - a.score);
    const routeTo = (replica: string) =>
      ({ replica, route: replica === preference[0].replica ? 'preferred' : 'spilled' }) as const;
    let leastBusy = preference[0].replica;
    for (const { replica } of preference) {
      const busy = this.inFlight.get(replica) ?? 0;
      if (busy < this.spillAt) return routeTo(replica);
      if (busy < (this.inFlight.get(leastBusy) ?? 0)) leastBusy = replica;
    }
    return routeTo(leastBusy);
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
