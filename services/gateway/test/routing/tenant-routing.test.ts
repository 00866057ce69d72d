import { NoRespondersError, replicaSubject, type OperationClient, type OperationReply } from '@lm/messaging';
import { describe, expect, it } from 'vitest';
import { ReplicaDirectory } from '../../src/routing/replica-directory';
import { rendezvousScore, TenantRouting } from '../../src/routing/tenant-routing';

const SUBJECT = 'lm.licensing.GetLicenseConfiguration';
const REQUEST = { requestId: 'r', input: {} };
const tenants = Array.from({ length: 1_000 }, (_, i) => String(100_000_000_000 + i * 7_919));

/** A directory that heard of `replicas` just now. */
function directoryOf(...replicas: string[]): ReplicaDirectory {
  const directory = new ReplicaDirectory(() => 0);
  for (const replica of replicas) directory.record('licensing', { replica });
  return directory;
}

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
    const routing = new TenantRouting(heldClient().client, directoryOf('a1', 'b2', 'c3'), 64);
    for (const tenant of tenants.slice(0, 50)) {
      const first = routing.replicaFor('licensing', tenant);
      for (let i = 0; i < 5; i++) expect(routing.replicaFor('licensing', tenant)).toBe(first);
    }
  });

  it('shares tenants about evenly among replicas', () => {
    const routing = new TenantRouting(heldClient().client, directoryOf('a1', 'b2', 'c3'), 64);
    const counts = new Map<string, number>();
    for (const tenant of tenants) {
      const replica = routing.replicaFor('licensing', tenant)!;
      counts.set(replica, (counts.get(replica) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['a1', 'b2', 'c3']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(1_000 / 3 - 60);
  });

  it('moves only the tenants of a replica that goes, and only to the others', () => {
    const three = new TenantRouting(heldClient().client, directoryOf('a1', 'b2', 'c3'), 64);
    const two = new TenantRouting(heldClient().client, directoryOf('a1', 'c3'), 64);
    for (const tenant of tenants) {
      const before = three.replicaFor('licensing', tenant);
      if (before !== 'b2') expect(two.replicaFor('licensing', tenant)).toBe(before);
    }
  });

  it('sends a tenant’s request to its replica’s own subject, the pattern still the operation’s', async () => {
    const { client, sent, releaseAll } = heldClient();
    const routing = new TenantRouting(client, directoryOf('a1', 'b2'), 64);
    const replica = routing.replicaFor('licensing', tenants[0])!;
    const answered = routing.call('licensing', tenants[0], SUBJECT, REQUEST);
    releaseAll();
    await answered;
    expect(sent).toEqual([replicaSubject(replica, SUBJECT)]);
  });

  it('spills a tenant over to its next replica while its own has `spillAt` in flight, and back once they end', async () => {
    const { client, sent, releaseAll } = heldClient();
    const routing = new TenantRouting(client, directoryOf('a1', 'b2'), 3);
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
    const routing = new TenantRouting(client, directoryOf('a1', 'b2'), 2);
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
      const answered = new TenantRouting(client, directory, 64).call('licensing', tenant, SUBJECT, REQUEST);
      releaseAll();
      await answered;
      expect(sent).toEqual([SUBJECT]);
    }
  });

  it('sends to the queue group when the tenant’s replica has no responders (it is gone)', async () => {
    const directory = directoryOf('a1', 'b2');
    const gone = new TenantRouting(heldClient().client, directory, 64).replicaFor('licensing', tenants[0])!;
    const { client, sent, releaseAll } = heldClient(new Set([replicaSubject(gone, SUBJECT)]));
    const answered = new TenantRouting(client, directory, 64).call('licensing', tenants[0], SUBJECT, REQUEST);
    await Promise.resolve();
    await Promise.resolve();
    releaseAll();
    await expect(answered).resolves.toEqual({ ok: true, output: {} });
    expect(sent).toEqual([replicaSubject(gone, SUBJECT), SUBJECT]);
  });

  it('tells how each request was routed: preferred, spilled, queue group, and gone', async () => {
    const directory = directoryOf('a1', 'b2');
    const own = new TenantRouting(heldClient().client, directory, 1).replicaFor('licensing', tenants[0])!;
    const { client, releaseAll } = heldClient(new Set([replicaSubject(own === 'a1' ? 'b2' : 'a1', SUBJECT)]));
    const routes: string[] = [];
    const routing = new TenantRouting(client, directory, 1, (service, route) => routes.push(`${service}:${route}`));
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

describe('the replica directory', () => {
  it('lists a replica from its first announcement until it expires or says it is leaving', () => {
    let now = 0;
    const directory = new ReplicaDirectory(() => now, 3_500);
    directory.record('licensing', { replica: 'a1' });
    directory.record('licensing', { replica: 'b2' });
    directory.record('grants', { replica: 'c3' });
    expect(directory.live('licensing')).toEqual(['a1', 'b2']);
    now = 2_000;
    directory.record('licensing', { replica: 'a1' });
    now = 4_000;
    expect(directory.live('licensing')).toEqual(['a1']);
    directory.record('licensing', { replica: 'a1', leaving: true });
    expect(directory.live('licensing')).toEqual([]);
    expect(directory.live('grants')).toEqual([]);
    expect(directory.live('reporting')).toEqual([]);
  });
});
