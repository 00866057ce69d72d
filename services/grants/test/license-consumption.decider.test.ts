import { DeciderSpecification, type Decider } from '@lm/event-store';
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

/** A licence's usage stream takes checkouts and expiries; the decider of both, as the stream runs them. */
type UsageCommand =
  | { type: 'CheckOut'; checkout: Parameters<typeof decideCheckout>[0] }
  | { type: 'Expire'; expiry: Parameters<typeof decideExpiry>[0] };
const usage: Decider<UsageCommand, LicenseUsageEvent, LicenseUsageState> = {
  initialState: initialLicenseUsage,
  evolve: evolveLicenseUsage,
  decide: (command, state) =>
    command.type === 'CheckOut' ? decideCheckout(command.checkout, state).events : decideExpiry(command.expiry, state),
};
const { given, history } = DeciderSpecification.for(usage);

const checkOut = (clientToken: string, now: Date, overrides: Partial<CheckoutRequest> = {}) =>
  ({
    type: 'CheckOut',
    checkout: { request: request(clientToken, overrides), terms, consumptionToken: `token-${clientToken}`, now },
  }) satisfies UsageCommand;
const expire = (consumptionToken: string, now: Date): UsageCommand => ({
  type: 'Expire',
  expiry: { consumptionToken, now },
});

describe('the licence usage decider', () => {
  it('answers a ClientToken again within the retention, and checks out anew after it', () => {
    const checkedOut = history(checkOut('retry', t0));
    const retry = checkOut('retry', at(CLIENT_TOKEN_RETENTION_MS - 1));
    given(checkedOut).when(retry).thenNothing();
    expect(decideCheckout(retry.checkout, given(checkedOut).state).outcome.consumptionToken).toBe('token-retry');
    given(history(checkOut('retry', t0), checkOut('other', at(CLIENT_TOKEN_RETENTION_MS))))
      .when(checkOut('retry', at(CLIENT_TOKEN_RETENTION_MS + 1)))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['LicenseCheckedOut']));
  });

  it('remembers ClientTokens across many generations without changing earlier states', () => {
    // Folded one generation at a time (not replayed per check): an earlier state object must stay as it was.
    let state = usage.initialState();
    const states: LicenseUsageState[] = [];
    for (let i = 0; i < 2_000; i++) {
      states.push(state);
      state = usage.decide(checkOut(`c-${i}`, at(i)), state).reduce(usage.evolve, state);
    }
    expect(usage.decide(checkOut('c-0', at(2_000)), state)).toEqual([]);
    expect(usage.decide(checkOut('c-1999', at(2_000)), state)).toEqual([]);
    // An earlier state does not see what was folded after it.
    expect(usage.decide(checkOut('c-1500', at(2_000)), states[1_000])).toHaveLength(1);
    expect(entitlementUsages(terms, state, at(2_000))).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: '2000', MaxCount: '100000' },
      { Name: 'Tier', Unit: 'None', ConsumedValue: '0' },
    ]);
  });

  it('refuses amounts that are not whole numbers and entitlements asked twice', () => {
    const decide = (entitlements: CheckoutRequest['entitlements']) =>
      given([]).when(checkOut('x', t0, { entitlements }));
    decide([{ Name: 'Seats', Unit: 'Count', Value: '1.5' }]).thenThrows(/whole number/);
    decide([{ Name: 'Seats', Unit: 'Count', Value: '-1' }]).thenThrows(/whole number/);
    decide([
      { Name: 'Seats', Unit: 'Count' },
      { Name: 'Seats', Unit: 'Count' },
    ]).thenThrows(/more than once/);
    decide([{ Name: 'Seats', Unit: 'Seconds' }]).thenThrows({ code: 'NoEntitlementsAllowedException' });
    decide([{ Name: 'Tier', Unit: 'None', Value: 'Silver' }]).thenThrows({ code: 'NoEntitlementsAllowedException' });
  });

  it('counts exactly past 2 ** 53: a MaxCount of 2 ** 53 + 1 refuses the (2 ** 53 + 2)th unit', () => {
    // In doubles 2 ** 53 + 1 is 2 ** 53, and 2 ** 53 + 1 units in use plus one more still "fit".
    const max = 2n ** 53n + 1n;
    const huge: LicenseTerms = { ...terms, entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: max }] };
    const take = (clientToken: string, units: bigint): UsageCommand => ({
      type: 'CheckOut',
      checkout: {
        request: request(clientToken, { entitlements: [{ Name: 'Seats', Unit: 'Count', Value: String(units) }] }),
        terms: huge,
        consumptionToken: `token-${clientToken}`,
        now: t0,
      },
    });
    // Amounts have at most 15 digits: nine of 10 ** 15 - 1, then what is left up to MaxCount.
    const chunk = 10n ** 15n - 1n;
    const full = history(...Array.from({ length: 9 }, (_, i) => take(`c-${i}`, chunk)), take('last', max - 9n * chunk));
    expect(entitlementUsages(huge, given(full).state, t0)).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: '9007199254740993', MaxCount: '9007199254740993' },
    ]);
    given(full).when(take('one-more', 1n)).thenThrows({ code: 'NoEntitlementsAllowedException' });
    given(history(...Array.from({ length: 9 }, (_, i) => take(`c-${i}`, chunk))))
      .when(take('last', max - 9n * chunk))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['LicenseCheckedOut']));
  });

  it('expires a lease only once its time has run out', () => {
    const leased = history(checkOut('lease', t0, { kind: 'PROVISIONAL' }));
    given(leased)
      .when(expire('token-lease', at(60 * 60_000 - 1)))
      .thenNothing();
    given(leased)
      .when(expire('token-lease', at(60 * 60_000)))
      .then([
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
