import { addLongs, type Long } from '@lm/contracts';
import type { Checkout, CountedUnits, LicenseUsageEvent } from './events';
import { idempotencyKey, RecentCheckouts } from './recent-checkouts';

/** A provisional or borrow checkout that has not been checked in, nor recorded as expired. */
export interface Lease {
  checkout: Checkout;
  /** When it ends unless extended (ms); from then on it no longer counts, swept or not. */
  expiresAt: number;
}

/**
 * What a licence's usage stream folds to. Immutable: a command decided on a state may be thrown
 * away when its append conflicts, and the state it read must still be the stream's.
 */
export interface LicenseUsageState {
  /** The usage epoch of the licence (see LicenseTerms.usageEpoch) the counts belong to. */
  usageEpoch: number;
  /** Units of each limited entitlement consumed for good by PERPETUAL checkouts, by entitlementKey (exact past 2 ** 53 - 1). */
  perpetual: ReadonlyMap<string, Long>;
  /** Open leases by consumption token. */
  leases: ReadonlyMap<string, Lease>;
  recent: RecentCheckouts;
}

export const initialLicenseUsage = (): LicenseUsageState => ({
  usageEpoch: 0,
  perpetual: new Map(),
  leases: new Map(),
  recent: RecentCheckouts.empty(),
});

/** The licence's id, the last segment of its ARN (`arn:aws:license-manager::<account>:license:l-<32 hex>`). */
export const licenseIdOf = (licenseArn: string) => licenseArn.slice(licenseArn.lastIndexOf(':') + 1);

/** One stream per licence holds every checkout, check-in, extension and expiry of it: its counts are decided there. */
export const licenseUsageStream = (licenseArn: string) => `license-usage-${licenseIdOf(licenseArn)}`;

export const entitlementKey = (name: string, unit: string) => `${name}\u0000${unit}`;

const add = (totals: Map<string, Long>, counted: readonly CountedUnits[]) => {
  for (const { name, unit, units } of counted)
    totals.set(entitlementKey(name, unit), addLongs(totals.get(entitlementKey(name, unit)) ?? 0, units));
};

/** Units of each limited entitlement in use at `now`: consumed for good, plus leases that have not ended; exact, as MaxCount. */
export function consumedUnits(state: LicenseUsageState, now: number): Map<string, Long> {
  const totals = new Map(state.perpetual);
  for (const lease of state.leases.values()) if (lease.expiresAt > now) add(totals, lease.checkout.counted);
  return totals;
}

/** The lease of `token` if it is open at `now`. */
export const openLease = (state: LicenseUsageState, token: string, now: number): Lease | undefined => {
  const lease = state.leases.get(token);
  return lease && lease.expiresAt > now ? lease : undefined;
};

const withoutLease = (state: LicenseUsageState, token: string): LicenseUsageState => {
  if (!state.leases.has(token)) return state;
  const leases = new Map(state.leases);
  leases.delete(token);
  return { ...state, leases };
};

export function evolveLicenseUsage(state: LicenseUsageState, event: LicenseUsageEvent): LicenseUsageState {
  switch (event.type) {
    case 'LicenseCheckedOut': {
      const checkout = event.data;
      const issuedAt = Date.parse(checkout.issuedAt);
      const recent = state.recent.with(idempotencyKey(checkout.accountId, checkout.clientToken), checkout, issuedAt);
      if (checkout.kind === 'PERPETUAL') {
        const perpetual = new Map(state.perpetual);
        add(perpetual, checkout.counted);
        return { ...state, perpetual, recent };
      }
      const leases = new Map(state.leases).set(checkout.consumptionToken, {
        checkout,
        expiresAt: Date.parse(checkout.expiration),
      });
      return { ...state, leases, recent };
    }
    case 'LicenseConsumptionExtended': {
      const lease = state.leases.get(event.data.consumptionToken);
      if (!lease) return state;
      const leases = new Map(state.leases).set(event.data.consumptionToken, {
        ...lease,
        expiresAt: Date.parse(event.data.expiration),
      });
      return { ...state, leases };
    }
    case 'LicenseCheckedIn':
    case 'LicenseConsumptionExpired':
      return withoutLease(state, event.data.consumptionToken);
    case 'LicenseUsageReset': {
      // Open leases stay (they may still be checked in or extended) but no longer count.
      const leases = new Map(
        [...state.leases].map(([token, lease]) => [token, { ...lease, checkout: { ...lease.checkout, counted: [] } }]),
      );
      return { ...state, usageEpoch: event.data.usageEpoch, perpetual: new Map(), leases };
    }
  }
}
