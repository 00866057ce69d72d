import { ManualClock } from '@lm/service-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedHatStandin, type StandinAccount } from '../../../test/support/redhat-standin';
import { RedHatAccessDeniedError } from '../src/subscription-providers/application/red-hat-subscription-manager';
import { registeredInstanceIds } from '../src/subscription-providers/domain/registered-systems';
import { RedHatUnavailableError, retryAfterMs, RhsmClient } from '../src/subscription-providers/infra/rhsm-client';

/** 230 systems (three pages of 100), every other one on EC2, and 3 subscriptions. */
function fleet(): StandinAccount {
  return {
    subscriptions: [1, 2, 3].map((n) => ({
      subscriptionNumber: `1234567${n}`,
      subscriptionName: `Red Hat Enterprise Linux Server, Standard (${n})`,
      sku: `RH0000${n}`,
      quantity: 10 * n,
      status: 'Active' as const,
    })),
    systems: Array.from({ length: 230 }, (_, n) => ({
      uuid: `0f6c2b0e-0000-4000-8000-${String(n).padStart(12, '0')}`,
      name: `rhel-${n}.example.com`,
      facts:
        n % 2 === 0
          ? { aws_instance_id: `i-${n.toString(16).padStart(17, '0')}`, aws_account_id: '111111111111' }
          : { 'dmi.system.manufacturer': 'Dell Inc.' },
    })),
  };
}

describe('RHSM client against the Red Hat stand-in', () => {
  const standin = new RedHatStandin();
  let clock: ManualClock;
  let client: RhsmClient;
  let token: string;

  beforeAll(() => standin.start());
  afterAll(() => standin.stop());
  beforeEach(() => {
    standin.requests.length = 0;
    clock = new ManualClock(new Date());
    client = new RhsmClient({ ssoUrl: standin.ssoUrl, apiUrl: standin.apiUrl }, clock);
    token = standin.addAccount(fleet());
  });

  it('exchanges the offline token, reads every page of subscriptions and systems and each system facts', async () => {
    const data = await client.retrieve(token);
    expect(data.subscriptions.map((s) => s.subscriptionNumber)).toEqual(['12345671', '12345672', '12345673']);
    expect(data.systems).toHaveLength(230);
    const ids = registeredInstanceIds(data.systems);
    expect(ids).toHaveLength(115);
    expect(ids).toContain(`i-${(228).toString(16).padStart(17, '0')}`);
    const systemPages = standin.requests.filter((r) => r.path === '/management/v1/systems');
    expect(systemPages.map((r) => [r.query.limit, r.query.offset])).toEqual([
      ['100', '0'],
      ['100', '100'],
      ['100', '200'],
    ]);
    const details = standin.requests.filter((r) => r.path.startsWith('/management/v1/systems/'));
    expect(details).toHaveLength(230);
    expect(details.every((r) => r.query.include === 'facts')).toBe(true);
    expect(standin.tokensIssued).toBe(1);
  });

  it('keeps the access token until it expires, then exchanges the offline token again', async () => {
    await client.retrieve(token);
    await client.retrieve(token);
    expect(standin.tokensIssued).toBe(1);
    clock.advance(300_000);
    await client.retrieve(token);
    expect(standin.tokensIssued).toBe(2);
  });

  it('renews an access token Red Hat refuses (401) once, then goes on', async () => {
    await client.retrieve(token);
    standin.expireAccessTokens();
    const data = await client.retrieve(token);
    expect(data.systems).toHaveLength(230);
    expect(standin.tokensIssued).toBe(2);
    expect(standin.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('refuses the credentials when a fresh access token is refused again (401 twice)', async () => {
    standin.unauthorizeNext(2);
    await expect(client.retrieve(token)).rejects.toThrow(RedHatAccessDeniedError);
    await expect(
      new RhsmClient({ ssoUrl: standin.ssoUrl, apiUrl: standin.apiUrl }, clock).retrieve(token).then(
        () => 'read',
        (error: Error) => error.message,
      ),
    ).resolves.toBe('read');
  });

  it('refuses a revoked offline token with the SSO reason, and an unknown one', async () => {
    standin.revoke(token);
    const error = await client.retrieve(token).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RedHatAccessDeniedError);
    expect((error as Error).message).toContain('invalid_grant: Offline user session not found');
    expect((error as Error).message).not.toContain(token);
    await expect(client.retrieve('not-a-token')).rejects.toThrow(/invalid_grant: Invalid refresh token/);
  });

  it('refuses a login without the permission to read subscriptions (403)', async () => {
    standin.forbid(token);
    await expect(client.retrieve(token)).rejects.toThrow(/403 Forbidden.*Manage your subscriptions/);
  });

  it('waits out a 429 as its Retry-After says, at the token endpoint and the API', async () => {
    standin.throttleNext(2, '1');
    const started = Date.now();
    const data = await client.retrieve(token);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(data.systems).toHaveLength(230);
    expect(standin.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('leaves a retrieval throttled for longer than it waits to the next run', async () => {
    standin.throttleNext(1, '3600');
    await expect(client.retrieve(token)).rejects.toThrow(RedHatUnavailableError);
  });

  it('tells an unreachable Red Hat apart from refused credentials', async () => {
    const nowhere = new RhsmClient({ ssoUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9' }, clock);
    await expect(nowhere.retrieve(token)).rejects.toThrow(RedHatUnavailableError);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Sun, 01 Mar 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs(null, now)).toBe(1000);
  });
});
