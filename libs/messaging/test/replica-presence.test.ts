import { JSONCodec } from 'nats';
import { describe, expect, it } from 'vitest';
import { newReplicaName, readReplicaPresence } from '../src/replica-presence';
import { replicaSubject } from '../src/subjects';

const encode = (value: unknown) => JSONCodec().encode(value);

describe('replica presence', () => {
  it('reads an announcement and a leaving', () => {
    expect(readReplicaPresence(encode({ replica: 'a1b2' }))).toEqual({ replica: 'a1b2' });
    expect(readReplicaPresence(encode({ replica: 'a1b2', leaving: true }))).toEqual({ replica: 'a1b2', leaving: true });
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
