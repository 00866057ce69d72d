import { JSONCodec } from 'nats';
import { describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats';
import { announceReplica, newReplicaName, readReplicaPresence, type ReplicaPresence } from '../src/replica-presence';
import { replicaSubject } from '../src/subjects';

const encode = (value: unknown) => JSONCodec().encode(value);

describe('replica presence', () => {
  it('reads an announcement and a leaving', () => {
    expect(readReplicaPresence(encode({ replica: 'a1b2' }))).toEqual({ replica: 'a1b2' });
    expect(readReplicaPresence(encode({ replica: 'a1b2', leaving: true }))).toEqual({ replica: 'a1b2', leaving: true });
  });

  it('reads when the replica started and how busy it is, and leaves out figures that are not', () => {
    expect(readReplicaPresence(encode({ replica: 'a1', since: 1_700_000_000_000, cpu: 0.42, relay: true }))).toEqual({
      replica: 'a1',
      since: 1_700_000_000_000,
      cpu: 0.42,
      relay: true,
    });
    expect(readReplicaPresence(encode({ replica: 'a1', relay: 'yes' }))).toEqual({ replica: 'a1' });
    for (const bad of [-1, '0.5', null, 'NaN'])
      expect(readReplicaPresence(encode({ replica: 'a1', since: bad, cpu: bad }))).toEqual({ replica: 'a1' });
  });

  it('announces the share of a core the process used lately, averaged, under the same start, and whether it runs the relay', async () => {
    const said: ReplicaPresence[] = [];
    const nc = {
      isClosed: () => false,
      publish: (_subject: string, data: Uint8Array) => said.push(readReplicaPresence(data)!),
    } as unknown as NatsConnection;
    let relay = false;
    const announcement = announceReplica(nc, 'licensing', 'a1', { runsRelay: () => relay, intervalMs: 50 });
    try {
      // Busy about five sixths of the time for 0.7 s, letting the interval run in between.
      for (let i = 0; i < 6; i++) {
        relay = i >= 3;
        const until = performance.now() + 100;
        while (performance.now() < until);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      announcement.leave();
    }
    const announced = said.filter((presence) => !presence.leaving);
    expect(announced[0]).toEqual({ replica: 'a1', since: announced[0].since, cpu: 0 });
    // It says it runs the relay from the announcement after it took it on.
    expect(announced.at(-1)!.relay).toBe(true);
    expect(new Set(announced.map((presence) => presence.since)).size).toBe(1);
    // An exponential average over 5 s of 0.7 s at about 0.8 of a core: about a tenth.
    const last = announced.at(-1)!.cpu!;
    expect(last).toBeGreaterThan(0.03);
    expect(last).toBeLessThan(0.5);
    expect(said.at(-1)).toEqual({ replica: 'a1', leaving: true });
  });

  it('ignores what is not one, and names that are not a single subject token', () => {
    for (const other of [{}, { replica: 7 }, { replica: 'a.b' }, { replica: '>' }, { replica: '' }, null, 'a1'])
      expect(readReplicaPresence(encode(other))).toBeUndefined();
    expect(readReplicaPresence(new TextEncoder().encode('{not json'))).toBeUndefined();
  });

  it('names each replica with one token of its own, which its subjects put after the root', () => {
    const [one, two] = [newReplicaName(), newReplicaName()];
    expect(one).not.toBe(two);
    expect(one).toMatch(/^[0-9a-f]{16}$/);
    expect(replicaSubject(one, 'lm.licensing.GetLicenseConfiguration')).toBe(
      `lm.replica.${one}.licensing.GetLicenseConfiguration`,
    );
  });
});
