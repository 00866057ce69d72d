import { describe, expect, it } from 'vitest';
import { Random } from '../../../test/support/seeded-random';
import { PersistentMap } from '../src/shared/persistent-map';

/** The same operations on every run. */
const random = (seed: number) => {
  const generator = new Random(seed);
  return () => generator.next();
};

const value = (n: number) => ({ n });

/** Pairs of keys whose 32-bit FNV-1a hashes are equal: they share a collision node. */
const COLLIDING = [
  ['costarring', 'liquid'],
  ['declinate', 'macallums'],
  ['altarage', 'zinke'],
];

function expectSameAs(map: PersistentMap<{ n: number }>, reference: Map<string, { n: number }>, keys: string[]) {
  expect(map.size).toBe(reference.size);
  expect(keys.filter((key) => map.get(key) !== reference.get(key))).toEqual([]);
}

describe('PersistentMap', () => {
  it('holds what a Map holds through thousands of random sets and deletes, colliding keys among them', () => {
    const next = random(14);
    const keys = [
      ...Array.from({ length: 3_000 }, (_, i) => `arn:aws:ec2:us-east-1:111111111111:instance/i-${i}`),
      ...COLLIDING.flat(),
    ];
    const reference = new Map<string, { n: number }>();
    let map = PersistentMap.empty<{ n: number }>();
    for (let step = 0; step < 20_000; step++) {
      const key = keys[Math.floor(next() * keys.length)];
      // Sets outnumber deletes, so the map grows deep, and deletes then shrink it to nothing.
      if (step < 15_000 ? next() < 0.7 : next() < 0.05) {
        const v = value(step);
        map = map.set(key, v);
        reference.set(key, v);
      } else {
        map = map.delete(key);
        reference.delete(key);
      }
      if (step % 1_000 === 0) expectSameAs(map, reference, keys);
    }
    expectSameAs(map, reference, keys);
    for (const key of keys) map = map.delete(key);
    expect(map.size).toBe(0);
  });

  it('leaves every earlier version as it was', () => {
    const versions = [PersistentMap.empty<{ n: number }>()];
    const keys = [...Array.from({ length: 300 }, (_, i) => `k${i}`), ...COLLIDING.flat()];
    keys.forEach((key, i) => versions.push(versions[i].set(key, value(i))));
    const emptied = keys.reduce((map, key) => map.delete(key), versions[keys.length]);
    const replaced = versions[keys.length].set('liquid', value(-1)).set('k0', value(-2));

    expect(emptied.size).toBe(0);
    expect([replaced.get('liquid'), replaced.get('k0')]).toEqual([value(-1), value(-2)]);
    versions.forEach((version, v) => {
      expect(version.size).toBe(v);
      expect(keys.map((key) => version.get(key)?.n)).toEqual(keys.map((_, i) => (i < v ? i : undefined)));
    });
  });

  it('tells colliding keys apart, and keeps one when the other goes', () => {
    for (const [a, b] of COLLIDING) {
      const both = PersistentMap.empty<{ n: number }>().set(a, value(1)).set(b, value(2));
      expect([both.get(a), both.get(b), both.size]).toEqual([value(1), value(2), 2]);
      const one = both.delete(a);
      expect([one.get(a), one.get(b), one.size]).toEqual([undefined, value(2), 1]);
      expect(one.has(b) && !one.has(a)).toBe(true);
    }
  });

  it('returns itself for a delete of an absent key and a set of the value it holds', () => {
    const v = value(1);
    const map = PersistentMap.empty<{ n: number }>().set('a', v).set('costarring', value(2));
    expect(map.delete('b')).toBe(map);
    expect(map.delete('liquid')).toBe(map);
    expect(map.set('a', v)).toBe(map);
  });
});
