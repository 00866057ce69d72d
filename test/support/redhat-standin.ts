import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from './system';

/** A subscription of a Red Hat account, as GET /management/v1/subscriptions lists it. */
export interface StandinSubscription {
  subscriptionNumber: string;
  subscriptionName: string;
  sku: string;
  quantity: number;
  status: 'Active' | 'Expired' | 'Future Dated';
}

/** A registered system: its facts are what subscription-manager reported (aws_instance_id on EC2). */
export interface StandinSystem {
  uuid: string;
  name: string;
  facts: Record<string, string>;
}

export interface StandinAccount {
  subscriptions: StandinSubscription[];
  systems: StandinSystem[];
}

/** One request the stand-in answered: never the tokens themselves. */
export interface StandinRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

const TOKEN_PATH = '/auth/realms/redhat-external/protocol/openid-connect/token';
const API = '/management/v1';
/** The API's default and largest page. */
const MAX_LIMIT = 100;

/**
 * Red Hat's SSO token endpoint and Subscription Management API on loopback (node:http), answering
 * in their documented shapes: POST the token endpoint with grant_type=refresh_token,
 * client_id=rhsm-api and an offline token for `{ access_token, expires_in, token_type, ... }`, or
 * 400 `{ error: "invalid_grant", error_description }` for a revoked or unknown one; GET
 * /management/v1/subscriptions and /systems with limit (at most 100) and offset for
 * `{ pagination: { offset, limit, count }, body: [...] }` (count: the page's items), GET
 * /systems/{uuid}?include=facts for `{ body: { ..., facts: [{ key, value }] } }`; 401
 * `{ error: { code, message } }` for a missing, unknown or expired access token. A test makes it
 * refuse: `revoke` an offline token, `expireAccessTokens`, `unauthorizeNext` (401 to valid
 * tokens), `throttleNext` (429 with Retry-After), `forbid` an account (403).
 */
export class RedHatStandin {
  /** Every request, in order. */
  readonly requests: StandinRequest[] = [];
  ssoUrl = '';
  apiUrl = '';
  /** Seconds an access token lives (Red Hat's: 300). */
  accessTokenLifetime = 300;
  private readonly accounts = new Map<string, StandinAccount>();
  private readonly revoked = new Set<string>();
  private readonly forbidden = new Set<string>();
  private readonly accessTokens = new Map<string, { offlineToken: string; expiresAt: number }>();
  private unauthorized = 0;
  private throttled: { remaining: number; retryAfter: string } = { remaining: 0, retryAfter: '1' };
  private server?: Server;

  async start(): Promise<void> {
    const port = await freePort();
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => this.answer(request, text, response));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.ssoUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A Red Hat account reached with a new offline token (returned). */
  addAccount(account: StandinAccount): string {
    const offlineToken = `eyJhbGciOiJIUzI1NiJ9.${randomBytes(24).toString('base64url')}`;
    this.accounts.set(offlineToken, account);
    return offlineToken;
  }

  account(offlineToken: string): StandinAccount {
    return this.accounts.get(offlineToken)!;
  }

  /**
   * The offline token no longer works (revoked on the API Tokens page, or unused for 30 days): its
   * session ends, and with it the access tokens issued from it.
   */
  revoke(offlineToken: string): void {
    this.revoked.add(offlineToken);
    for (const [accessToken, session] of this.accessTokens)
      if (session.offlineToken === offlineToken) this.accessTokens.delete(accessToken);
  }

  /** The login behind the token lacks the role to view subscriptions. */
  forbid(offlineToken: string): void {
    this.forbidden.add(offlineToken);
  }

  /** Every access token issued so far expires now. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  /** The next `count` API requests are answered 401 whatever their token. */
  unauthorizeNext(count: number): void {
    this.unauthorized = count;
  }

  /** The next `count` requests (token or API) are answered 429 with this Retry-After. */
  throttleNext(count: number, retryAfter = '1'): void {
    this.throttled = { remaining: count, retryAfter };
  }

  /** How many access tokens were issued. */
  get tokensIssued(): number {
    return this.requests.filter((request) => request.path === TOKEN_PATH && request.status === 200).length;
  }

  private answer(request: IncomingMessage, text: string, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://standin');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({
        method: request.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
      });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (this.throttled.remaining > 0) {
      this.throttled.remaining--;
      return reply(
        429,
        { error: { code: 429, message: 'Too Many Requests' } },
        { 'retry-after': this.throttled.retryAfter },
      );
    }
    if (url.pathname === TOKEN_PATH && request.method === 'POST') return this.token(new URLSearchParams(text), reply);
    if (url.pathname.startsWith(`${API}/`) && request.method === 'GET') return this.api(request, url, reply);
    reply(404, { error: { code: 404, message: 'Not Found' } });
  }

  private token(form: URLSearchParams, reply: (status: number, body: unknown) => void): void {
    if (form.get('grant_type') !== 'refresh_token')
      return reply(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    if (form.get('client_id') !== 'rhsm-api')
      return reply(400, {
        error: 'unauthorized_client',
        error_description: 'Invalid client or Invalid client credentials',
      });
    const offlineToken = form.get('refresh_token') ?? '';
    if (!this.accounts.has(offlineToken))
      return reply(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
    if (this.revoked.has(offlineToken))
      return reply(400, { error: 'invalid_grant', error_description: 'Offline user session not found' });
    const accessToken = randomBytes(32).toString('base64url');
    this.accessTokens.set(accessToken, { offlineToken, expiresAt: Date.now() + this.accessTokenLifetime * 1000 });
    reply(200, {
      access_token: accessToken,
      expires_in: this.accessTokenLifetime,
      refresh_expires_in: 0,
      refresh_token: offlineToken,
      token_type: 'Bearer',
      id_token: randomBytes(16).toString('base64url'),
      'not-before-policy': 0,
      session_state: randomUUID(),
      scope: 'openid offline_access',
    });
  }

  private api(request: IncomingMessage, url: URL, reply: (status: number, body: unknown) => void): void {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const session = bearer ? this.accessTokens.get(bearer) : undefined;
    if (this.unauthorized > 0 || !session || session.expiresAt <= Date.now()) {
      if (this.unauthorized > 0) this.unauthorized--;
      return reply(401, { error: { code: 401, message: 'Unauthorized' } });
    }
    if (this.forbidden.has(session.offlineToken)) return reply(403, { error: { code: 403, message: 'Forbidden' } });
    const account = this.accounts.get(session.offlineToken)!;
    const path = url.pathname.slice(API.length);
    if (path === '/subscriptions') return this.page(url, account.subscriptions.map(toSubscription), reply);
    if (path === '/systems') return this.page(url, account.systems.map(toSystem), reply);
    const uuid = /^\/systems\/([^/]+)$/.exec(path)?.[1];
    const system = account.systems.find((candidate) => candidate.uuid === decodeURIComponent(uuid ?? ''));
    if (!system) return reply(404, { error: { code: 404, message: 'Not Found' } });
    const include = (url.searchParams.get('include') ?? '').split(',');
    const facts = Object.entries(system.facts).map(([key, value]) => ({ key, value }));
    reply(200, {
      body: {
        ...toSystem(system),
        complianceStatus: 'valid',
        createdBy: 'rhsm-admin',
        factsCount: facts.length,
        ...(include.includes('facts') ? { facts } : {}),
      },
    });
  }

  private page(url: URL, items: unknown[], reply: (status: number, body: unknown) => void): void {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? MAX_LIMIT) || MAX_LIMIT, MAX_LIMIT);
    const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
    const body = items.slice(offset, offset + limit);
    reply(200, { pagination: { offset, limit, count: body.length }, body });
  }
}

const toSubscription = (subscription: StandinSubscription) => ({
  subscriptionNumber: subscription.subscriptionNumber,
  subscriptionName: subscription.subscriptionName,
  sku: subscription.sku,
  contractNumber: subscription.subscriptionNumber.slice(0, 8),
  quantity: String(subscription.quantity),
  startDate: '2026-01-01T00:00:00.000Z',
  endDate: '2027-01-01T00:00:00.000Z',
  status: subscription.status,
  pools: [],
});

const toSystem = (system: StandinSystem) => ({
  uuid: system.uuid,
  name: system.name,
  type: 'Virtual',
  href: `${API}/systems/${system.uuid}`,
  lastCheckin: '2026-03-01T00:00:00.000Z',
  entitlementCount: 1,
  entitlementStatus: 'valid',
  errataCounts: { securityCount: 0, bugfixCount: 0, enhancementCount: 0 },
});
