import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, text, type Clock } from '@lm/service-kit';
import type { RegisteredSystem } from '../domain/registered-systems';
import {
  RedHatAccessDeniedError,
  type RedHatAccountData,
  type RedHatSubscription,
  type RedHatSubscriptionManager,
} from '../application/red-hat-subscription-manager';

/** Where Red Hat answers: its SSO (the token endpoint) and the Subscription Management API. */
export const redHatSettings = {
  /** LM_REDHAT_SSO_URL: Red Hat's SSO, which exchanges the offline token for access tokens. */
  redHatSsoUrl: text('LM_REDHAT_SSO_URL', 'https://sso.redhat.com'),
  /** LM_REDHAT_API_URL: the host of Red Hat's Subscription Management API (/management/v1). */
  redHatApiUrl: text('LM_REDHAT_API_URL', 'https://api.access.redhat.com'),
};

/** Red Hat's documented token endpoint and client id for the Subscription Management API. */
const TOKEN_PATH = '/auth/realms/redhat-external/protocol/openid-connect/token';
const CLIENT_ID = 'rhsm-api';
const API_PATH = '/management/v1';
/** The API's default and largest page. */
const PAGE_LIMIT = 100;
/** An access token is renewed this long before Red Hat's expires_in (5 minutes) runs out. */
const EXPIRY_MARGIN_MS = 30_000;
/** Waits a throttled run accepts (429 with Retry-After) before leaving the rest to the next run. */
const MAX_THROTTLED_WAITS = 5;
const MAX_RETRY_AFTER_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Red Hat could not be read now (unreachable, 5xx, still throttled): the next run tries again. */
export class RedHatUnavailableError extends Error {}

interface Page<T> {
  body?: T[];
  pagination?: { offset?: number; limit?: number; count?: number };
}

interface ApiSystem {
  uuid?: string;
}

interface ApiSubscription {
  subscriptionNumber?: string;
  subscriptionName?: string;
  status?: string;
}

/** A fact as the API gives it: `{ key, value }` (one, or a list of them). */
interface ApiFact {
  key?: string;
  value?: unknown;
}

/**
 * Red Hat Subscription Manager over HTTPS with Node's fetch, as Red Hat documents it: the offline
 * token is exchanged at the SSO's token endpoint (grant_type=refresh_token, client_id=rhsm-api)
 * for an access token, kept until shortly before it expires (keyed by a hash of the offline
 * token, which is held nowhere else); GET /management/v1/subscriptions and /systems are read page
 * by page (limit and offset, until a page comes back short), and each system's facts with
 * /systems/{uuid}?include=facts. A 401 gets one fresh access token, then the credentials are
 * refused; a 429 is waited out as its Retry-After says.
 */
export class RhsmClient implements RedHatSubscriptionManager {
  private readonly accessTokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly urls: { ssoUrl: string; apiUrl: string },
    private readonly clock: Clock = systemClock,
  ) {}

  async retrieve(offlineToken: string): Promise<RedHatAccountData> {
    const subscriptions = (await this.pages<ApiSubscription>(offlineToken, '/subscriptions')).map(toSubscription);
    const systems: RegisteredSystem[] = [];
    for (const { uuid } of await this.pages<ApiSystem>(offlineToken, '/systems')) {
      if (!uuid) continue;
      const detail = await this.get<{ body?: { facts?: ApiFact | ApiFact[] } }>(
        offlineToken,
        `/systems/${encodeURIComponent(uuid)}`,
        { include: 'facts' },
      );
      systems.push({ uuid, facts: factsOf(detail.body?.facts) });
    }
    return { subscriptions, systems };
  }

  private async pages<T>(offlineToken: string, path: string): Promise<T[]> {
    const items: T[] = [];
    for (;;) {
      const page = await this.get<Page<T>>(offlineToken, path, {
        limit: String(PAGE_LIMIT),
        offset: String(items.length),
      });
      const body = Array.isArray(page.body) ? page.body : [];
      items.push(...body);
      if (body.length === 0 || body.length < (page.pagination?.limit ?? PAGE_LIMIT)) return items;
    }
  }

  private async get<T>(offlineToken: string, path: string, query: Record<string, string>): Promise<T> {
    const url = `${trimmed(this.urls.apiUrl)}${API_PATH}${path}?${new URLSearchParams(query)}`;
    let refusedOnce = false;
    let renew = false;
    for (let waits = 0; ;) {
      const accessToken = await this.accessToken(offlineToken, renew);
      renew = false;
      const response = await this.send(url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
      if (response.status === 401) {
        await response.body?.cancel();
        if (refusedOnce)
          throw new RedHatAccessDeniedError(
            'Red Hat Subscription Management refused a newly issued access token (401 Unauthorized).',
          );
        refusedOnce = renew = true;
        continue;
      }
      if (response.status === 403) {
        await response.body?.cancel();
        throw new RedHatAccessDeniedError(
          'The Red Hat login may not read the subscriptions (403 Forbidden): it needs the role Manage your subscriptions with View All or View/Edit All.',
        );
      }
      if (response.status === 429) {
        await this.waitOut(response, ++waits, path);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new RedHatUnavailableError(`Red Hat Subscription Management answered ${response.status} to ${path}.`);
      }
      return (await response.json()) as T;
    }
  }

  /** The cached access token, or a new one from the SSO (`renew`: the cached one was refused). */
  private async accessToken(offlineToken: string, renew: boolean): Promise<string> {
    const key = createHash('sha256').update(offlineToken).digest('hex');
    const cached = this.accessTokens.get(key);
    if (!renew && cached && cached.expiresAt > this.clock.now().getTime()) return cached.token;
    this.accessTokens.delete(key);
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      refresh_token: offlineToken,
    });
    for (let waits = 0; ;) {
      const response = await this.send(`${trimmed(this.urls.ssoUrl)}${TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
      if (response.status === 429) {
        await this.waitOut(response, ++waits, TOKEN_PATH);
        continue;
      }
      const answer = (await response.json().catch(() => ({}))) as {
        access_token?: string;
        expires_in?: number;
        error?: string;
        error_description?: string;
      };
      if (response.status === 400 || response.status === 401)
        throw new RedHatAccessDeniedError(
          `Red Hat SSO refused the offline token (${[answer.error, answer.error_description].filter(Boolean).join(': ').slice(0, 200) || response.status}): generate a new offline token and put it in the secret.`,
        );
      if (!response.ok || !answer.access_token)
        throw new RedHatUnavailableError(`Red Hat SSO answered ${response.status} to the token request.`);
      const lifetimeMs = (answer.expires_in ?? 300) * 1000;
      this.accessTokens.set(key, {
        token: answer.access_token,
        expiresAt: this.clock.now().getTime() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2),
      });
      return answer.access_token;
    }
  }

  /** Waits as long as a 429's Retry-After (seconds or an HTTP date) asks, within this run's patience. */
  private async waitOut(response: Response, waits: number, path: string): Promise<void> {
    await response.body?.cancel();
    const delayMs = retryAfterMs(response.headers.get('retry-after'), this.clock.now());
    if (waits > MAX_THROTTLED_WAITS || delayMs > MAX_RETRY_AFTER_MS)
      throw new RedHatUnavailableError(`Red Hat throttled ${path} (429): the next run tries again.`);
    await sleep(delayMs);
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new RedHatUnavailableError(`Red Hat could not be reached at ${new URL(url).origin}: ${String(error)}`);
    }
  }
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; one second when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number {
  if (header === null) return 1000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - now.getTime());
}

const trimmed = (base: string) => base.replace(/\/+$/, '');

const toSubscription = (subscription: ApiSubscription): RedHatSubscription => ({
  subscriptionNumber: subscription.subscriptionNumber ?? '',
  subscriptionName: subscription.subscriptionName ?? '',
  status: subscription.status ?? '',
});

function factsOf(facts: ApiFact | ApiFact[] | undefined): Record<string, string> {
  const list = Array.isArray(facts) ? facts : facts ? [facts] : [];
  return Object.fromEntries(
    list.filter((fact) => typeof fact.key === 'string').map((fact) => [fact.key!, String(fact.value ?? '')]),
  );
}
