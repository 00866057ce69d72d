import { NoRespondersError, replicaSubject, type OperationClient, type OperationReply } from '@lm/messaging';
import { describe, expect, it } from 'vitest';
import { ReplicaDirectory } from '../../src/routing/replica-directory';
import { replicasInUse } from '../../src/routing/replicas-in-use';
import { rendezvousScore, TenantRouting, type RoutingObserver } from '../../src/routing/tenant-routing';

const SUBJECT = 'lm.licensing.GetLicenseConfiguration';
const REQUEST = { requestId: 'r', input: {} };
const tenants = Array.from({ length: 1_000 }, (_, i) => String(100_000_000_000 + i * 7_919));

/** A directory that heard of `replicas` just now, started in their order. */
function directoryOf(...replicas: string[]): ReplicaDirectory {
  const directory = new ReplicaDirectory(() => 0);
  for (const [i, replica] of replicas.entries()) directory.record('licensing', { replica, since: i });
  return directory;
}

/** Routing that puts every live replica to use at once (LM_REPLICA_BUSY_CPU=0). */
const spreading = (client: OperationClient, directory: ReplicaDirectory, spillAt: number, observer?: RoutingObserver) =>
  new TenantRouting(client, directory, spillAt, 0, observer);

/** A client whose calls wait until released, recording where each went. */
function heldClient(noResponders: Set<string> = new Set()) {
  const sent: string[] = [];
  const release: (() => void)[] = [];
  const client = {
    call: (_subject: string, _request: unknown, to?: string): Promise<OperationReply> => {
      sent.push(to ?? _subject);
      if (to !== undefined && noResponders.has(to)) return Promise.reject(new NoRespondersError(to));
      return new Promise((resolve) => release.push(() => resolve({ ok: true, output: {} })));
    },
  } as unknown as OperationClient;
  return { client, sent, releaseAll: () => release.splice(0).forEach((answer) => answer()) };
}

describe('tenant routing', () => {
  it('sends each tenant to one replica, the same every time', () => {
    const routing = spreading(heldClient().client, directoryOf('a1', 'b2', 'c3'), 64);
    for (const tenant of tenants.slice(0, 50)) {
      const first = routing.replicaFor('licensing', tenant);
      for (let i = 0; i < 5; i++) expect(routing.replicaFor('licensing', tenant)).toBe(first);
    }
  });

  it('shares tenants about evenly among replicas', () => {
    const routing = spreading(heldClient().client, directoryOf('a1', 'b2', 'c3'), 64);
    const counts = new Map<string, number>();
    for (const tenant of tenants) {
      const replica = routing.replicaFor('licensing', tenant)!;
      counts.set(replica, (counts.get(replica) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['a1', 'b2', 'c3']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(1_000 / 3 - 60);
  });

  it('moves only the tenants of a replica that goes, and only to the others', () => {
    const three = spreading(heldClient().client, directoryOf('a1', 'b2', 'c3'), 64);
    const two = spreading(heldClient().client, directoryOf('a1', 'c3'), 64);
    for (const tenant of tenants) {
      const before = three.replicaFor('licensing', tenant);
      if (before !== 'b2') expect(two.replicaFor('licensing', tenant)).toBe(before);
    }
  });

  it('sends a tenant’s request to its replica’s own subject, the pattern still the operation’s', async () => {
    const { client, sent, releaseAll } = heldClient();
    const routing = spreading(client, directoryOf('a1', 'b2'), 64);
    const replica = routing.replicaFor('licensing', tenants[0])!;
    const answered = routing.call('licensing', tenants[0], SUBJECT, REQUEST);
    releaseAll();
    await answered;
    expect(sent).toEqual([replicaSubject(replica, SUBJECT)]);
  });

  it('spills a tenant over to its next replica while its own has `spillAt` in flight, and back once they end', async () => {
    const { client, sent, releaseAll } = heldClient();
    const routing = spreading(client, directoryOf('a1', 'b2'), 3);
    const own = routing.replicaFor('licensing', tenants[0])!;
    const next = own === 'a1' ? 'b2' : 'a1';
    const calls = Array.from({ length: 5 }, () => routing.call('licensing', tenants[0], SUBJECT, REQUEST));
    expect(sent).toEqual([own, own, own, next, next].map((replica) => replicaSubject(replica, SUBJECT)));
    releaseAll();
    await Promise.all(calls);
    expect(routing.replicaFor('licensing', tenants[0])).toBe(own);
  });

  it('sends to the least busy replica when every one has `spillAt` in flight', () => {
    const { client } = heldClient();
    const routing = spreading(client, directoryOf('a1', 'b2'), 2);
    const own = routing.replicaFor('licensing', tenants[0])!;
    const next = own === 'a1' ? 'b2' : 'a1';
    const sent = Array.from({ length: 6 }, () => {
      const replica = routing.replicaFor('licensing', tenants[0])!;
      void routing.call('licensing', tenants[0], SUBJECT, REQUEST);
      return replica;
    });
    expect(sent).toEqual([own, own, next, next, own, next]);
  });

  it('sends to the queue group without a caller, or without a replica heard of', async () => {
    for (const [directory, tenant] of [
      [directoryOf('a1', 'b2'), undefined],
      [directoryOf(), tenants[0]],
    ] as const) {
      const { client, sent, releaseAll } = heldClient();
      const answered = spreading(client, directory, 64).call('licensing', tenant, SUBJECT, REQUEST);
      releaseAll();
      await answered;
      expect(sent).toEqual([SUBJECT]);
    }
  });

  it('sends to the queue group when the tenant’s replica has no responders (it is gone)', async () => {
    const directory = directoryOf('a1', 'b2');
    const gone = spreading(heldClient().client, directory, 64).replicaFor('licensing', tenants[0])!;
    const { client, sent, releaseAll } = heldClient(new Set([replicaSubject(gone, SUBJECT)]));
    const answered = spreading(client, directory, 64).call('licensing', tenants[0], SUBJECT, REQUEST);
    await Promise.resolve();
    await Promise.resolve();
    releaseAll();
    await expect(answered).resolves.toEqual({ ok: true, output: {} });
    expect(sent).toEqual([replicaSubject(gone, SUBJECT), SUBJECT]);
  });

  it('tells how each request was routed: preferred, spilled, queue group, and gone', async () => {
    const directory = directoryOf('a1', 'b2');
    const own = spreading(heldClient().client, directory, 1).replicaFor('licensing', tenants[0])!;
    const { client, releaseAll } = heldClient(new Set([replicaSubject(own === 'a1' ? 'b2' : 'a1', SUBJECT)]));
    const routes: string[] = [];
    const routing = spreading(client, directory, 1, {
      routed: (service, route) => routes.push(`${service}:${route}`),
      inUse: () => {},
    });
    const calls = [
      routing.call('licensing', tenants[0], SUBJECT, REQUEST),
      // Its own replica has one in flight: on to the other, which has no responders.
      routing.call('licensing', tenants[0], SUBJECT, REQUEST),
      routing.call('licensing', undefined, SUBJECT, REQUEST),
    ];
    await Promise.resolve();
    await Promise.resolve();
    releaseAll();
    await Promise.all(calls);
    expect(routes).toEqual(['licensing:preferred', 'licensing:spilled', 'licensing:queue_group', 'licensing:gone']);
  });

  it('scores replicas of names that differ in one character far apart', () => {
    expect(rendezvousScore('111111111111', 'a1')).not.toBe(rendezvousScore('111111111111', 'a2'));
    const scores = tenants.map((tenant) => rendezvousScore(tenant, 'a1') > rendezvousScore(tenant, 'a2'));
    const first = scores.filter(Boolean).length;
    expect(first).toBeGreaterThan(430);
    expect(first).toBeLessThan(570);
  });
});

describe('tenant routing over the replicas in use', () => {
  /** Three replicas started in order, each saying it uses `cpu` of a core, and a clock to move on. */
  function busyService(cpu: [number, number, number]) {
    let now = 0;
    const directory = new ReplicaDirectory(() => now);
    const say = (cpus: number[]) =>
      ['a1', 'b2', 'c3'].forEach((replica, i) => directory.record('licensing', { replica, since: i, cpu: cpus[i] }));
    say(cpu);
    const counts: number[] = [];
    const { client } = heldClient();
    const routing = new TenantRouting(
      client,
      directory,
      2,
      0.75,
      { routed: () => {}, inUse: (_service, replicas) => counts.push(replicas) },
      () => now,
    );
    const spread = () => new Set(tenants.slice(0, 200).map((tenant) => routing.replicaFor('licensing', tenant)));
    const second = (cpus: number[]) => {
      now += 1_000;
      say(cpus);
    };
    return { routing, spread, second, counts };
  }

  it('sends every tenant to the oldest replica while it is not busy, and spills over to the next oldest', async () => {
    const { routing, spread, counts } = busyService([0.5, 0, 0]);
    expect(spread()).toEqual(new Set(['a1']));
    const calls = Array.from({ length: 3 }, () => routing.replicaFor('licensing', tenants[0]));
    for (let i = 0; i < 3; i++) void routing.call('licensing', tenants[i], SUBJECT, REQUEST);
    expect(calls).toEqual(['a1', 'a1', 'a1']);
    // a1 has two in flight (spillAt): the third goes on to b2, the next oldest.
    expect(routing.replicaFor('licensing', tenants[3])).toBe('b2');
    expect(counts).toEqual([1]);
  });

  it('puts one more replica to use each second the ones in use are busy, and moves only some tenants to it', () => {
    const { routing, spread, second, counts } = busyService([0.5, 0, 0]);
    expect(spread()).toEqual(new Set(['a1']));
    second([0.9, 0, 0]);
    expect(spread()).toEqual(new Set(['a1', 'b2']));
    const onA1 = tenants.slice(0, 200).filter((tenant) => routing.replicaFor('licensing', tenant) === 'a1');
    expect(onA1.length).toBeGreaterThan(60);
    expect(onA1.length).toBeLessThan(140);
    second([0.8, 0.8, 0]);
    expect(spread()).toEqual(new Set(['a1', 'b2', 'c3']));
    // Those c3 takes come from both; a tenant on a1 stays there or moves to c3, never to b2.
    for (const tenant of onA1) expect(['a1', 'c3']).toContain(routing.replicaFor('licensing', tenant));
    expect(counts).toEqual([1, 2, 3]);
  });

  it('puts a replica out of use once the others can take its load, and not before', () => {
    const { spread, second, counts } = busyService([0.5, 0, 0]);
    spread();
    second([0.9, 0, 0]);
    spread();
    // 0.5 + 0.5 on two: one would be busy; 0.3 + 0.25 on two fit in one below 0.6.
    second([0.5, 0.5, 0]);
    expect(spread()).toEqual(new Set(['a1', 'b2']));
    second([0.3, 0.25, 0]);
    expect(spread()).toEqual(new Set(['a1']));
    expect(counts).toEqual([1, 2, 2, 1]);
  });

  it('puts the replica that runs the event relay to use first, whatever its age', () => {
    const directory = directoryOf('a1', 'b2', 'c3');
    directory.record('licensing', { replica: 'b2', since: 1, cpu: 0, relay: true });
    const routing = new TenantRouting(heldClient().client, directory, 64, 0.75);
    expect(new Set(tenants.slice(0, 50).map((tenant) => routing.replicaFor('licensing', tenant)))).toEqual(
      new Set(['b2']),
    );
    expect(directory.live('licensing').map(({ name }) => name)).toEqual(['b2', 'a1', 'c3']);
  });

  it('uses the next oldest when the oldest goes', () => {
    let now = 0;
    const directory = new ReplicaDirectory(() => now, 3_500);
    directory.record('licensing', { replica: 'b2', since: 2, cpu: 0 });
    directory.record('licensing', { replica: 'a1', since: 1, cpu: 0 });
    const routing = new TenantRouting(heldClient().client, directory, 64, 0.75);
    expect(routing.replicaFor('licensing', tenants[0])).toBe('a1');
    directory.record('licensing', { replica: 'a1', leaving: true });
    expect(routing.replicaFor('licensing', tenants[0])).toBe('b2');
    now = 1_000;
    directory.record('licensing', { replica: 'c3', since: 3, cpu: 0 });
    expect(routing.replicaFor('licensing', tenants[0])).toBe('b2');
  });
});

describe('the replicas in use', () => {
  it('grows by one when those in use are busy on average, while there are more', () => {
    expect(replicasInUse(1, [0.8, 0, 0], 0.75)).toBe(2);
    expect(replicasInUse(2, [0.9, 0.65, 0], 0.75)).toBe(3);
    expect(replicasInUse(3, [0.9, 0.9, 0.9], 0.75)).toBe(3);
    expect(replicasInUse(1, [0.7, 0, 0], 0.75)).toBe(1);
  });

  it('shrinks by one when one fewer would hold the load below four fifths of busy, and stays at a steady load', () => {
    expect(replicasInUse(2, [0.3, 0.29, 0], 0.75)).toBe(1);
    expect(replicasInUse(2, [0.3, 0.31, 0], 0.75)).toBe(2);
    expect(replicasInUse(3, [0.5, 0.4, 0.2], 0.75)).toBe(2);
    // A load that made it grow does not make it shrink once shared.
    let inUse = 1;
    for (let i = 0; i < 5; i++) inUse = replicasInUse(inUse, inUse === 1 ? [0.8, 0] : [0.45, 0.45], 0.75);
    expect(inUse).toBe(2);
  });

  it('uses every replica with a busy share of 0, and never more than are there', () => {
    expect(replicasInUse(1, [0, 0, 0], 0)).toBe(3);
    expect(replicasInUse(3, [0.9, 0.9], 0.75)).toBe(2);
    expect(replicasInUse(2, [0.1], 0.75)).toBe(1);
    expect(replicasInUse(1, [], 0.75)).toBe(0);
  });
});

describe('the replica directory', () => {
  it('lists a replica from its first announcement until it expires or says it is leaving', () => {
    let now = 0;
    const directory = new ReplicaDirectory(() => now, 3_500);
    directory.record('licensing', { replica: 'a1' });
    directory.record('licensing', { replica: 'b2' });
    directory.record('grants', { replica: 'c3' });
    expect(directory.live('licensing')).toEqual([
      { name: 'a1', cpu: 0 },
      { name: 'b2', cpu: 0 },
    ]);
    now = 2_000;
    directory.record('licensing', { replica: 'a1' });
    now = 4_000;
    expect(directory.live('licensing')).toEqual([{ name: 'a1', cpu: 0 }]);
    directory.record('licensing', { replica: 'a1', leaving: true });
    expect(directory.live('licensing')).toEqual([]);
    expect(directory.live('grants')).toEqual([]);
    expect(directory.live('reporting')).toEqual([]);
  });
});
