import type { Checkout } from './events';

/** How long a ClientToken is answered again with its first checkout. */
export const CLIENT_TOKEN_RETENTION_MS = 10 * 60_000;
const GENERATION_SIZE = 256;
const MAX_SEALED_GENERATIONS = 64;

interface Generation {
  readonly entries: ReadonlyMap<string, Checkout>;
  /** When its newest entry was checked out (ms): the generation is forgotten once that is past retention. */
  readonly newestAt: number;
}

const EMPTY: Generation = { entries: new Map(), newestAt: 0 };

/**
 * A licence's recent checkouts by idempotency key (account and ClientToken): those of the last
 * CLIENT_TOKEN_RETENTION_MS, and at most the last 16,640 of them. An immutable value, as
 * aggregate states must be (a state decided on may be thrown away when its append conflicts),
 * that stays cheap to extend on a hot licence: adding copies only the open generation (at most
 * 256 entries); sealed generations are shared between states and dropped whole.
 */
export class RecentCheckouts {
  private constructor(
    private readonly sealed: readonly Generation[],
    private readonly open: Generation,
  ) {}

  static empty(): RecentCheckouts {
    return new RecentCheckouts([], EMPTY);
  }

  find(key: string, now: number): Checkout | undefined {
    const cutoff = now - CLIENT_TOKEN_RETENTION_MS;
    let found = this.open.entries.get(key);
    for (let i = this.sealed.length - 1; i >= 0 && !found; i--) found = this.sealed[i].entries.get(key);
    return found && Date.parse(found.issuedAt) > cutoff ? found : undefined;
  }

  with(key: string, checkout: Checkout, at: number): RecentCheckouts {
    let sealed = this.sealed;
    let open = this.open;
    if (open.entries.size >= GENERATION_SIZE) {
      sealed = [...sealed, open];
      open = EMPTY;
    }
    // Generations are in checkout order: the ones past retention, or beyond the count, are the first.
    const cutoff = at - CLIENT_TOKEN_RETENTION_MS;
    const firstCurrent = sealed.findIndex((generation) => generation.newestAt > cutoff);
    const from = Math.max(firstCurrent === -1 ? sealed.length : firstCurrent, sealed.length - MAX_SEALED_GENERATIONS);
    if (from > 0) sealed = sealed.slice(from);
    return new RecentCheckouts(sealed, { entries: new Map(open.entries).set(key, checkout), newestAt: at });
  }
}

/** The key a ClientToken is remembered under: the same token from two accounts names two requests. */
export const idempotencyKey = (accountId: string, clientToken: string) => `${accountId}\u0000${clientToken}`;
