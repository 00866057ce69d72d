import type { LicenseManager } from '@lm/api-model';
import { allocate, grantsAtLeast } from './allocation';
import { consumptionNotFound, entitlementNotAllowed, noEntitlementsAllowed } from './errors';
import { conflict, invalidParameterValue } from '@lm/contracts';
import type { Checkout, CheckoutKind, LicenseUsageEvent } from './events';
import {
  consumedUnits,
  entitlementKey,
  evolveLicenseUsage,
  openLease,
  type Lease,
  type LicenseUsageState,
} from './license-usage';
import { isLimited, type LicenseTerms } from './license-terms';
import { idempotencyKey } from './recent-checkouts';

/** The events a command appends, and what it answers. */
export interface Decision<Outcome> {
  events: LicenseUsageEvent[];
  outcome: Outcome;
}

export interface CheckoutRequest {
  kind: CheckoutKind;
  accountId: string;
  /** The root buyer of the grant the checkout goes through (none for the issuer's own). */
  rootBuyerAccountId?: string;
  beneficiary?: string;
  nodeId?: string;
  clientToken: string;
  entitlements: readonly LicenseManager.EntitlementData[];
  checkoutMetadata?: LicenseManager.Metadata[];
}

export interface CheckoutCommand {
  request: CheckoutRequest;
  terms: LicenseTerms;
  /** The token a new lease gets (random, chosen by the caller of the decider so that it stays pure). */
  consumptionToken: string;
  now: Date;
}

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** When a lease that starts at `from` and runs `ttl` ms ends: never after the licence's validity. */
const leaseEnd = (terms: LicenseTerms, from: number, ttl: number) => Math.min(from + ttl, terms.validUntil ?? Infinity);

/**
 * A new usage period (a licence version that resets usage, a renewal) takes effect on the first
 * decision that sees it: the reset is recorded, then the command is decided on the counts from zero.
 */
export function withUsageEpoch(terms: LicenseTerms, state: LicenseUsageState, now: Date): Decision<LicenseUsageState> {
  if (terms.usageEpoch <= state.usageEpoch) return { events: [], outcome: state };
  const reset: LicenseUsageEvent = {
    type: 'LicenseUsageReset',
    data: { licenseArn: terms.licenseArn, usageEpoch: terms.usageEpoch, resetAt: now.toISOString() },
  };
  return { events: [reset], outcome: evolveLicenseUsage(state, reset) };
}

/** An open lease the same node holds under the same identity, granting what is asked again. */
function leaseOfNode(state: LicenseUsageState, request: CheckoutRequest, now: number): Lease | undefined {
  if (request.nodeId === undefined || request.kind === 'PERPETUAL') return undefined;
  for (const lease of state.leases.values()) {
    const held = lease.checkout;
    if (
      lease.expiresAt > now &&
      held.nodeId === request.nodeId &&
      held.kind === request.kind &&
      held.accountId === request.accountId &&
      held.beneficiary === request.beneficiary &&
      grantsAtLeast(held.entitlementsAllowed, request.entitlements)
    ) {
      return lease;
    }
  }
  return undefined;
}

/**
 * CheckoutLicense and CheckoutBorrowLicense on one licence. Answered again, without a second
 * lease: a ClientToken the account used within the retention (the first answer), and a node that
 * already holds an open lease of the same kind granting what it asks (that lease, as it stands).
 * Otherwise every entitlement is allocated or none (see allocate), and a PROVISIONAL or borrow
 * checkout opens a lease for the licence's time to live; a PERPETUAL one consumes for good.
 */
export function decideCheckout(command: CheckoutCommand, current: LicenseUsageState): Decision<Checkout> {
  const { request, terms, now } = command;
  const at = now.getTime();
  const { events, outcome: state } = withUsageEpoch(terms, current, now);
  const replayed = state.recent.find(idempotencyKey(request.accountId, request.clientToken), at);
  if (replayed) return { events, outcome: replayed };
  const held = leaseOfNode(state, request, at);
  if (held) return { events, outcome: { ...held.checkout, expiration: iso(held.expiresAt) } };

  if (request.kind === 'BORROW' && !terms.borrow)
    throw entitlementNotAllowed(`License ${terms.licenseArn} has no borrow configuration: it cannot be borrowed.`);
  const minutes = request.kind === 'BORROW' ? terms.borrow!.minutes : terms.provisionalMinutes;
  const missing = request.kind === 'BORROW' ? entitlementNotAllowed : noEntitlementsAllowed;
  const allocation = allocate(request.entitlements, terms, consumedUnits(state, at), missing);
  const checkout: Checkout = {
    consumptionToken: command.consumptionToken,
    licenseArn: terms.licenseArn,
    licenseVersion: terms.version,
    kind: request.kind,
    accountId: request.accountId,
    ...(request.rootBuyerAccountId === undefined ? {} : { rootBuyerAccountId: request.rootBuyerAccountId }),
    ...(request.beneficiary === undefined ? {} : { beneficiary: request.beneficiary }),
    ...(request.nodeId === undefined ? {} : { nodeId: request.nodeId }),
    clientToken: request.clientToken,
    ...allocation,
    ...(request.checkoutMetadata === undefined ? {} : { checkoutMetadata: request.checkoutMetadata }),
    issuedAt: iso(at),
    expiration: iso(leaseEnd(terms, at, minutes * MINUTE)),
  };
  return { events: [...events, { type: 'LicenseCheckedOut', data: checkout }], outcome: checkout };
}

/**
 * CheckInLicense of an open lease (who may check it in is settled before: see the application).
 * A provisional lease comes back only if every limited entitlement it counts allows check-in;
 * a borrowed one before its expiration only if the borrow configuration allows early check-in.
 */
export function decideCheckIn(
  command: { consumptionToken: string; terms: LicenseTerms; now: Date },
  state: LicenseUsageState,
): LicenseUsageEvent[] {
  const { consumptionToken, terms, now } = command;
  const lease = state.leases.get(consumptionToken);
  if (!lease) throw conflict(`License consumption ${consumptionToken} has already ended (checked in, or expired).`);
  if (lease.expiresAt <= now.getTime())
    throw conflict(`License consumption ${consumptionToken} expired at ${iso(lease.expiresAt)}.`);
  if (lease.checkout.kind === 'BORROW' && !terms.borrow?.allowEarlyCheckIn) {
    throw invalidParameterValue(
      `License ${terms.licenseArn} does not allow borrowed entitlements to be checked in before they expire (${iso(lease.expiresAt)}).`,
    );
  }
  if (lease.checkout.kind === 'PROVISIONAL') {
    const refusing = lease.checkout.counted.filter(({ name, unit }) => {
      const entitlement = terms.entitlements.find((e) => e.Name === name && e.Unit === unit);
      return entitlement !== undefined && isLimited(entitlement) && !entitlement.AllowCheckIn;
    });
    if (refusing.length > 0) {
      throw invalidParameterValue(
        `Entitlement ${refusing.map((r) => r.name).join(', ')} of license ${terms.licenseArn} does not allow check-in: the lease ends at ${iso(lease.expiresAt)}.`,
      );
    }
  }
  return [
    {
      type: 'LicenseCheckedIn',
      data: {
        consumptionToken,
        licenseArn: terms.licenseArn,
        accountId: lease.checkout.accountId,
        checkedInAt: now.toISOString(),
      },
    },
  ];
}

/**
 * ExtendLicenseConsumption: an open lease runs for the licence's time to live again from now
 * (never ending sooner than it was to). A dry run changes nothing and answers the lease's current
 * expiration.
 */
export function decideExtend(
  command: { consumptionToken: string; terms: LicenseTerms; now: Date; dryRun: boolean },
  state: LicenseUsageState,
): Decision<{ expiration: string }> {
  const { consumptionToken, terms, now } = command;
  const lease = openLease(state, consumptionToken, now.getTime());
  if (!lease) throw consumptionNotFound(consumptionToken);
  if (command.dryRun) return { events: [], outcome: { expiration: iso(lease.expiresAt) } };
  const minutes = lease.checkout.kind === 'BORROW' ? terms.borrow?.minutes : terms.provisionalMinutes;
  // A licence that no longer lets itself be borrowed extends a borrow by its first duration.
  const ttl =
    minutes !== undefined
      ? minutes * MINUTE
      : Date.parse(lease.checkout.expiration) - Date.parse(lease.checkout.issuedAt);
  // Never sooner than the lease was to end: a clock set back (a host's time corrected by hours)
  // would otherwise make an extension end the lease early, and free its units while it is in use.
  const expiration = iso(Math.max(lease.expiresAt, leaseEnd(terms, now.getTime(), ttl)));
  return {
    events: [
      {
        type: 'LicenseConsumptionExtended',
        data: { consumptionToken, licenseArn: terms.licenseArn, expiration, extendedAt: now.toISOString() },
      },
    ],
    outcome: { expiration },
  };
}

/** The sweep's command: records the end of a lease whose time ran out (nothing if it was checked in or extended meanwhile). */
export function decideExpiry(
  command: { consumptionToken: string; now: Date },
  state: LicenseUsageState,
): LicenseUsageEvent[] {
  const lease = state.leases.get(command.consumptionToken);
  if (!lease || lease.expiresAt > command.now.getTime()) return [];
  return [
    {
      type: 'LicenseConsumptionExpired',
      data: {
        consumptionToken: command.consumptionToken,
        licenseArn: lease.checkout.licenseArn,
        expiredAt: iso(lease.expiresAt),
      },
    },
  ];
}

/** GetLicenseUsage: what each entitlement of the licence has in use now, as strings. */
export function entitlementUsages(
  terms: LicenseTerms,
  state: LicenseUsageState,
  now: Date,
): LicenseManager.EntitlementUsage[] {
  const inUse = consumedUnits(withUsageEpoch(terms, state, now).outcome, now.getTime());
  return terms.entitlements.map((entitlement) => ({
    Name: entitlement.Name,
    Unit: entitlement.Unit,
    ConsumedValue: String(
      isLimited(entitlement) ? (inUse.get(entitlementKey(entitlement.Name, entitlement.Unit)) ?? 0) : 0,
    ),
    ...(entitlement.MaxCount === undefined ? {} : { MaxCount: String(entitlement.MaxCount) }),
  }));
}
