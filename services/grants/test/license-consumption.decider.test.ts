import { describe, expect, it } from 'vitest';
import {
  decideCheckout,
  decideExpiry,
  entitlementUsages,
  type CheckoutRequest,
} from '../src/consumption/domain/decide';
import type { LicenseUsageEvent } from '../src/consumption/domain/events';
import {
  evolveLicenseUsage,
  initialLicenseUsage,
  type LicenseUsageState,
} from '../src/consumption/domain/license-usage';
import type { LicenseTerms } from '../src/consumption/domain/license-terms';
import { CLIENT_TOKEN_RETENTION_MS } from '../src/consumption/domain/recent-checkouts';

const t0 = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

const terms: LicenseTerms = {
  licenseArn: 'arn:aws:license-manager::111111111111:license:l-00000000000000000000000000000001',
  version: '1',
  entitlements: [
    { Name: 'Seats', Unit: 'Count', MaxCount: 100_000 },
    { Name: 'Tier', Unit: 'None', Value: 'Gold' },
  ],
  provisionalMinutes: 60,
  usageEpoch: 0,
};

const request = (clientToken: string, overrides: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  kind: 'PERPETUAL',
  accountId: '222222222222',
  clientToken,
  entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
  ...overrides,
});

/** Decides and folds, as the usage stream does. */
const apply = (state: LicenseUsageState, events: LicenseUsageEvent[]) => events.reduce(evolveLicenseUsage, state);

const checkOut = (
  state: LicenseUsageState,
  clientToken: string,
  now: Date,
  overrides: Partial<CheckoutRequest> = {},
) => {
  const decision = decideCheckout(
    { request: request(clientToken, overrides), terms, consumptionToken: `token-${clientToken}`, now },
    state,
  );
  return { state: apply(state, decision.events), decision };
};

describe('the licence usage decider', () => {
  it('answers a ClientToken again within the retention, and checks out anew after it', () => {
    let { state } = checkOut(initialLicenseUsage(), 'retry', t0);
    const replay = checkOut(state, 'retry', at(CLIENT_TOKEN_RETENTION_MS - 1));
    expect(replay.decision.events).toEqual([]);
    expect(replay.decision.outcome.consumptionToken).toBe('token-retry');
    ({ state } = checkOut(state, 'other', at(CLIENT_TOKEN_RETENTION_MS)));
    const late = checkOut(state, 'retry', at(CLIENT_TOKEN_RETENTION_MS + 1));
    expect(late.decision.events.map((e) => e.type)).toEqual(['LicenseCheckedOut']);
  });

  it('remembers ClientTokens across many generations without changing earlier states', () => {
    let state = initialLicenseUsage();
    const states: LicenseUsageState[] = [];
    for (let i = 0; i < 2_000; i++) {
      states.push(state);
      state = checkOut(state, `c-${i}`, at(i)).state;
    }
    expect(checkOut(state, 'c-0', at(2_000)).decision.events).toEqual([]);
    expect(checkOut(state, 'c-1999', at(2_000)).decision.events).toEqual([]);
    // An earlier state does not see what was folded after it.
    expect(checkOut(states[1_000], 'c-1500', at(2_000)).decision.events).toHaveLength(1);
    expect(entitlementUsages(terms, state, at(2_000))).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: '2000', MaxCount: '100000' },
      { Name: 'Tier', Unit: 'None', ConsumedValue: '0' },
    ]);
  });

  it('refuses amounts that are not whole numbers and entitlements asked twice', () => {
    const decide = (entitlements: CheckoutRequest['entitlements']) => () =>
      checkOut(initialLicenseUsage(), 'x', t0, { entitlements });
    expect(decide([{ Name: 'Seats', Unit: 'Count', Value: '1.5' }])).toThrow(/whole number/);
    expect(decide([{ Name: 'Seats', Unit: 'Count', Value: '-1' }])).toThrow(/whole number/);
    expect(
      decide([
        { Name: 'Seats', Unit: 'Count' },
        { Name: 'Seats', Unit: 'Count' },
      ]),
    ).toThrow(/more than once/);
    expect(decide([{ Name: 'Seats', Unit: 'Seconds' }])).toThrow(
      expect.objectContaining({ code: 'NoEntitlementsAllowedException' }),
    );
    expect(decide([{ Name: 'Tier', Unit: 'None', Value: 'Silver' }])).toThrow(
      expect.objectContaining({ code: 'NoEntitlementsAllowedException' }),
    );
  });

  it('expires a lease only once its time has run out', () => {
    const { state } = checkOut(initialLicenseUsage(), 'lease', t0, { kind: 'PROVISIONAL' });
    expect(decideExpiry({ consumptionToken: 'token-lease', now: at(60 * 60_000 - 1) }, state)).toEqual([]);
    expect(decideExpiry({ consumptionToken: 'token-lease', now: at(60 * 60_000) }, state)).toEqual([
      {
        type: 'LicenseConsumptionExpired',
        data: {
          consumptionToken: 'token-lease',
          licenseArn: terms.licenseArn,
          expiredAt: at(60 * 60_000).toISOString(),
        },
      },
    ]);
  });

  it('never lets a lease outlive the licence', () => {
    const ending = { ...terms, validUntil: at(10 * 60_000).getTime() };
    const decision = decideCheckout(
      { request: request('short', { kind: 'PROVISIONAL' }), terms: ending, consumptionToken: 'token-short', now: t0 },
      initialLicenseUsage(),
    );
    expect(decision.outcome.expiration).toBe(at(10 * 60_000).toISOString());
  });
});
