import type { SessionCredentials } from '@lm/messaging';

/** Asks the service that issued temporary credentials for them; null when it knows none with that key. */
export type SessionCredentialsLookup = (accessKeyId: string) => Promise<SessionCredentials | null>;

export interface SessionCredentialCacheOptions {
  now?: () => Date;
  /** At most this many access keys are remembered; the oldest entry makes room. */
  maxEntries?: number;
  /** How long an unknown key is remembered, so that a burst asks only once. */
  missTtlMs?: number;
  /**
   * How long valid credentials are trusted before the issuer is asked again: the bound on how
   * long credentials keep working here after their token is deleted.
   */
  revalidateMs?: number;
  /**
   * How long credentials are remembered after they expire, so that a request signed with them is
   * told ExpiredTokenException (grants no longer knows expired credentials at all).
   */
  expiredRetentionMs?: number;
}

interface CacheEntry {
  credentials: SessionCredentials | null;
  /** Epoch milliseconds after which the entry is asked for again. */
  until: number;
}

/** Temporary access key ids, as STS hands them out. Other unknown keys are not worth a question. */
const TEMPORARY_KEY_PREFIX = 'ASIA';

/**
 * The temporary credentials the gateway has resolved. Valid ones are asked for again every few
 * seconds, so that deleting their token revokes them here too; once expired they are kept a
 * while without asking (verification refuses them from their expiry on, with ExpiredTokenException).
 * A miss is kept for a second only, so that credentials issued a moment later are found.
 * Concurrent requests for the same key share one lookup. Long-term keys never come here: they
 * are in the credential store, checked first and synchronously.
 */
export class SessionCredentialCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<SessionCredentials | null>>();
  private readonly now: () => Date;
  private readonly maxEntries: number;
  private readonly missTtlMs: number;
  private readonly revalidateMs: number;
  private readonly expiredRetentionMs: number;

  constructor(
    private readonly lookup: SessionCredentialsLookup,
    options: SessionCredentialCacheOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxEntries = options.maxEntries ?? 10_000;
    this.missTtlMs = options.missTtlMs ?? 1_000;
    this.revalidateMs = options.revalidateMs ?? 5_000;
    this.expiredRetentionMs = options.expiredRetentionMs ?? 15 * 60_000;
  }

  async find(accessKeyId: string): Promise<SessionCredentials | null> {
    if (!accessKeyId.startsWith(TEMPORARY_KEY_PREFIX)) return null;
    const entry = this.entries.get(accessKeyId);
    const now = this.now().getTime();
    if (entry && entry.until > now) return entry.credentials;
    if (entry?.credentials && Date.parse(entry.credentials.Expiration) <= now) {
      // Expired since it was last asked for: the issuer has forgotten it, the answer is now fixed.
      return this.keepExpired(accessKeyId, entry.credentials, now);
    }
    this.entries.delete(accessKeyId);
    const inFlight = this.pending.get(accessKeyId);
    if (inFlight) return inFlight;
    const lookup = this.resolve(accessKeyId).finally(() => this.pending.delete(accessKeyId));
    this.pending.set(accessKeyId, lookup);
    return lookup;
  }

  private async resolve(accessKeyId: string): Promise<SessionCredentials | null> {
    const credentials = await this.lookup(accessKeyId);
    const now = this.now().getTime();
    // Credentials for another key, or without a readable expiry, are no answer: they would never expire.
    const expiresAt = credentials ? Date.parse(credentials.Expiration) : Number.NaN;
    const found =
      credentials && credentials.AccessKeyId === accessKeyId && !Number.isNaN(expiresAt) ? credentials : null;
    if (!found) {
      this.remember(accessKeyId, { credentials: null, until: now + this.missTtlMs });
      return null;
    }
    if (expiresAt <= now) return this.keepExpired(accessKeyId, found, now);
    this.remember(accessKeyId, { credentials: found, until: Math.min(now + this.revalidateMs, expiresAt) });
    return found;
  }

  /** Expired credentials are kept a while without asking, so that their requests hear ExpiredTokenException. */
  private keepExpired(accessKeyId: string, credentials: SessionCredentials, now: number): SessionCredentials | null {
    const until = Date.parse(credentials.Expiration) + this.expiredRetentionMs;
    if (until <= now) {
      this.entries.delete(accessKeyId);
      return null;
    }
    this.remember(accessKeyId, { credentials, until });
    return credentials;
  }

  private remember(accessKeyId: string, entry: CacheEntry): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(accessKeyId, entry);
  }
}
