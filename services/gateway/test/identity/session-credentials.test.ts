import type { SessionCredentials } from '@lm/messaging';
import { describe, expect, it } from 'vitest';
import { SessionCredentialCache } from '../../src/identity/session-credentials';

const T0 = new Date('2026-01-01T00:00:00Z');

const credentials = (accessKeyId: string, expiresInMs: number): SessionCredentials => ({
  AccessKeyId: accessKeyId,
  SecretAccessKey: 'secret',
  SessionToken: 'token',
  Expiration: new Date(T0.getTime() + expiresInMs).toISOString(),
  AccountId: '111111111111',
  LicenseArn: 'arn:aws:license-manager::999999999999:license:l-1',
  RoleArn: 'arn:aws:iam::111111111111:role/consumer',
  RoleSessionName: 'app',
});

/** A cache over a fake grants: `known` is what grants would answer, `asked` what it was asked. */
function fixture(options: { maxEntries?: number } = {}) {
  let now = T0;
  const known = new Map<string, SessionCredentials>();
  const asked: string[] = [];
  const cache = new SessionCredentialCache(
    async (accessKeyId) => {
      asked.push(accessKeyId);
      return known.get(accessKeyId) ?? null;
    },
    { now: () => now, ...options },
  );
  return { cache, known, asked, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('SessionCredentialCache', () => {
  it('keeps expired credentials until 15 minutes after their expiry (for ExpiredTokenException) without asking, then forgets them', async () => {
    const { cache, known, asked, advance } = fixture();
    const resolved = credentials('ASIA1', 60_000);
    known.set('ASIA1', resolved);
    expect(await cache.find('ASIA1')).toEqual(resolved);
    advance(60_000);
    known.delete('ASIA1'); // grants forgets expired credentials
    expect(await cache.find('ASIA1')).toEqual(resolved);
    advance(15 * 60_000 - 1_000);
    expect(await cache.find('ASIA1')).toEqual(resolved);
    expect(asked).toEqual(['ASIA1']);
    advance(2_000);
    expect(await cache.find('ASIA1')).toBeNull();
    expect(asked).toEqual(['ASIA1']);
  });

  it('asks again every 5 seconds while credentials are valid, so that a deleted token revokes them within that time', async () => {
    const { cache, known, asked, advance } = fixture();
    const resolved = credentials('ASIA6', 60 * 60_000);
    known.set('ASIA6', resolved);
    expect(await cache.find('ASIA6')).toEqual(resolved);
    advance(4_000);
    expect(await cache.find('ASIA6')).toEqual(resolved);
    expect(asked).toEqual(['ASIA6']);
    known.delete('ASIA6'); // its token was deleted: grants no longer resolves them
    advance(1_500);
    expect(await cache.find('ASIA6')).toBeNull();
    expect(asked).toEqual(['ASIA6', 'ASIA6']);
  });

  it('remembers a miss for one second only', async () => {
    const { cache, known, asked, advance } = fixture();
    expect(await cache.find('ASIA2')).toBeNull();
    known.set('ASIA2', credentials('ASIA2', 60_000));
    advance(500);
    expect(await cache.find('ASIA2')).toBeNull();
    advance(600);
    expect(await cache.find('ASIA2')).toEqual(known.get('ASIA2'));
    expect(asked).toEqual(['ASIA2', 'ASIA2']);
  });

  it('shares one lookup between concurrent requests for a key', async () => {
    const { cache, known, asked } = fixture();
    known.set('ASIA3', credentials('ASIA3', 60_000));
    const found = await Promise.all([cache.find('ASIA3'), cache.find('ASIA3'), cache.find('ASIA3')]);
    expect(found.every((item) => item?.AccessKeyId === 'ASIA3')).toBe(true);
    expect(asked).toEqual(['ASIA3']);
  });

  it('is bounded: the oldest key makes room', async () => {
    const { cache, known, asked } = fixture({ maxEntries: 2 });
    for (const key of ['ASIAA', 'ASIAB', 'ASIAC']) known.set(key, credentials(key, 60_000));
    for (const key of ['ASIAA', 'ASIAB', 'ASIAC', 'ASIAC', 'ASIAA']) await cache.find(key);
    expect(asked).toEqual(['ASIAA', 'ASIAB', 'ASIAC', 'ASIAA']);
  });

  it('asks nothing for a key that is not a temporary one, and ignores an answer for another key or without an expiry', async () => {
    const { cache, known, asked } = fixture();
    expect(await cache.find('AKIALONGTERM')).toBeNull();
    known.set('ASIA4', credentials('ASIA5', 60_000));
    expect(await cache.find('ASIA4')).toBeNull();
    known.set('ASIA6', { ...credentials('ASIA6', 60_000), Expiration: 'never' });
    expect(await cache.find('ASIA6')).toBeNull();
    expect(asked).toEqual(['ASIA4', 'ASIA6']);
  });
});
