import type { EntitlementUsageEvent, LicenceEntitlementUsage } from '../src/usage-metrics/domain/entitlement-usage';
import {
  accountsChangedBy,
  entitlementSamples,
  evolveEntitlementUsage,
  licenceIdOfStream,
  licenceStreamOf,
} from '../src/usage-metrics/domain/entitlement-usage';
import { describe, expect, it } from 'vitest';

const SELLER = '111111111111';
const BUYER = '222222222222';
const MEMBER = '333333333333';
const OTHER_BUYER = '444444444444';
const LICENSE_ID = `l-${'ab'.repeat(16)}`;
const LICENSE_ARN = `arn:aws:license-manager::${SELLER}:license:${LICENSE_ID}`;
const T0 = new Date('2026-03-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const entitlements = [
  { Name: 'Users', Unit: 'Count', MaxCount: 10 },
  { Name: 'Storage', Unit: 'Gigabytes', MaxCount: 0, Overage: true },
  { Name: 'Feature', Unit: 'None', Value: 'on' },
];

const event = (type: string, data: object) => ({ type, data }) as EntitlementUsageEvent;
const created = () =>
  evolveEntitlementUsage(
    undefined,
    event('LicenseCreated', {
      license: { LicenseArn: LICENSE_ARN, Entitlements: entitlements },
      issuerAccountId: SELLER,
    }),
  )!;
const checkout = (token: string, accountId: string, units: number, extra: object = {}) =>
  event('LicenseCheckedOut', {
    consumptionToken: token,
    licenseArn: LICENSE_ARN,
    kind: 'PROVISIONAL',
    accountId,
    counted: [{ name: 'Users', unit: 'Count', units }],
    expiration: minutes(60).toISOString(),
    ...extra,
  });

/** account -> metric -> entitlement -> value */
const valuesAt = (usage: LicenceEntitlementUsage, at: Date) =>
  Object.fromEntries(
    entitlementSamples(usage, at).map(({ accountId, samples }) => [
      accountId,
      Object.fromEntries(samples.map((s) => [`${s.metricName}/${s.dimensions[1].Value}/${s.unit}`, s.value])),
    ]),
  );

describe('entitlement usage of a seller-issued licence', () => {
  it('tells the licence stream from the usage stream, and both name the licence', () => {
    expect(licenceStreamOf({ service: 'grants', type: 'LicenseCheckedOut' } as never)).toBe('usage');
    expect(licenceStreamOf({ service: 'grants', type: 'LicenseTagged' } as never)).toBe('licence');
    expect(licenceStreamOf({ service: 'grants', type: 'GrantCreated' } as never)).toBeUndefined();
    expect(licenceStreamOf({ service: 'licensing', type: 'LicenseCreated' } as never)).toBeUndefined();
    expect(licenceIdOfStream(`license-${LICENSE_ID}`)).toBe(LICENSE_ID);
    expect(licenceIdOfStream(`license-usage-${LICENSE_ID}`)).toBe(LICENSE_ID);
  });

  it('gives the seller the limited entitlements, in their units, from the creation on', () => {
    expect(valuesAt(created(), T0)).toEqual({
      [SELLER]: {
        'LicenseEntitlementUsageCount/Users/Count': 0,
        'TotalLicenseEntitlementUsageCount/Users/Count': 10,
        'LicenseEntitlementUsagePercentage/Users/Percent': 0,
        'LicenseEntitlementUsageCount/Storage/Gigabytes': 0,
        'TotalLicenseEntitlementUsageCount/Storage/Gigabytes': 0,
      },
    });
    expect(entitlementSamples(created(), T0)[0].samples[0].dimensions).toEqual([
      { Name: 'LicenseArn', Value: LICENSE_ARN },
      { Name: 'EntitlementName', Value: 'Users' },
    ]);
  });

  it('shows the seller all usage, a root buyer the usage under it, a consuming account its own', () => {
    let usage = created();
    usage = evolveEntitlementUsage(usage, checkout('t1', BUYER, 2, { rootBuyerAccountId: BUYER }))!;
    usage = evolveEntitlementUsage(usage, checkout('t2', MEMBER, 3, { rootBuyerAccountId: BUYER }))!;
    usage = evolveEntitlementUsage(usage, checkout('t3', OTHER_BUYER, 4, { rootBuyerAccountId: OTHER_BUYER }))!;
    const used = (account: string) => valuesAt(usage, minutes(1))[account]['LicenseEntitlementUsageCount/Users/Count'];
    expect(Object.keys(valuesAt(usage, minutes(1)))).toEqual([SELLER, BUYER, MEMBER, OTHER_BUYER]);
    expect([used(SELLER), used(BUYER), used(MEMBER), used(OTHER_BUYER)]).toEqual([9, 5, 3, 4]);
    expect(valuesAt(usage, minutes(1))[BUYER]['LicenseEntitlementUsagePercentage/Users/Percent']).toBe(50);
  });

  it('counts a lease until its expiration, extended or not, and no longer once checked in or expired', () => {
    let usage = evolveEntitlementUsage(created(), checkout('t1', BUYER, 2, { rootBuyerAccountId: BUYER }))!;
    const used = (at: Date) => valuesAt(usage, at)[BUYER]['LicenseEntitlementUsageCount/Users/Count'];
    expect([used(minutes(59)), used(minutes(60))]).toEqual([2, 0]);
    usage = evolveEntitlementUsage(
      usage,
      event('LicenseConsumptionExtended', { consumptionToken: 't1', expiration: minutes(120).toISOString() }),
    )!;
    expect(used(minutes(90))).toBe(2);
    usage = evolveEntitlementUsage(usage, event('LicenseCheckedIn', { consumptionToken: 't1' }))!;
    expect(used(minutes(90))).toBe(0);
    // The account still sees the licence's points (now zero), and an unknown token changes nothing.
    expect(Object.keys(valuesAt(usage, minutes(90)))).toEqual([SELLER, BUYER]);
    expect(
      evolveEntitlementUsage(usage, event('LicenseConsumptionExpired', { consumptionToken: 't1' })),
    ).toBeUndefined();
  });

  it('keeps perpetual units for good, until a new usage period resets every count', () => {
    let usage = evolveEntitlementUsage(
      created(),
      checkout('t1', BUYER, 2, { kind: 'PERPETUAL', rootBuyerAccountId: BUYER }),
    )!;
    usage = evolveEntitlementUsage(usage, checkout('t2', BUYER, 3, { kind: 'PERPETUAL', rootBuyerAccountId: BUYER }))!;
    expect(valuesAt(usage, minutes(600))[BUYER]['LicenseEntitlementUsageCount/Users/Count']).toBe(5);
    const version = (resetUsage: boolean, maxCount: number) =>
      event('LicenseVersionCreated', {
        resetUsage,
        license: { Entitlements: [{ Name: 'Users', Unit: 'Count', MaxCount: maxCount }] },
      });
    const kept = evolveEntitlementUsage(usage, version(false, 20))!;
    expect(valuesAt(kept, T0)[SELLER]).toEqual({
      'LicenseEntitlementUsageCount/Users/Count': 5,
      'TotalLicenseEntitlementUsageCount/Users/Count': 20,
      'LicenseEntitlementUsagePercentage/Users/Percent': 25,
    });
    expect(
      valuesAt(evolveEntitlementUsage(usage, version(true, 20))!, T0)[SELLER][
        'LicenseEntitlementUsageCount/Users/Count'
      ],
    ).toBe(0);
    expect(
      valuesAt(evolveEntitlementUsage(usage, event('LicenseUsageReset', {}))!, T0)[BUYER][
        'LicenseEntitlementUsageCount/Users/Count'
      ],
    ).toBe(0);
  });

  it("writes an event's points only for the accounts whose values it changes", () => {
    let usage = evolveEntitlementUsage(created(), checkout('t1', BUYER, 2, { rootBuyerAccountId: BUYER }))!;
    usage = evolveEntitlementUsage(usage, checkout('t2', MEMBER, 1, { rootBuyerAccountId: BUYER }))!;
    const member = checkout('t3', MEMBER, 1, { rootBuyerAccountId: BUYER });
    expect(accountsChangedBy(usage, member)).toEqual([SELLER, MEMBER, BUYER]);
    expect(accountsChangedBy(usage, event('LicenseCheckedIn', { consumptionToken: 't1' }))).toEqual([SELLER, BUYER]);
    expect(accountsChangedBy(usage, event('LicenseUsageReset', {}))).toBeUndefined();
    expect(accountsChangedBy(usage, event('LicenseVersionCreated', {}))).toBeUndefined();
    expect(entitlementSamples(usage, T0, [SELLER, BUYER]).map((s) => s.accountId)).toEqual([SELLER, BUYER]);
  });

  it('shows an issuer checkout on behalf of a beneficiary to the seller only, and nothing once deleted', () => {
    const usage = evolveEntitlementUsage(created(), checkout('t1', SELLER, 1))!;
    expect(Object.keys(valuesAt(usage, T0))).toEqual([SELLER]);
    expect(valuesAt(usage, T0)[SELLER]['LicenseEntitlementUsageCount/Users/Count']).toBe(1);
    const deleted = evolveEntitlementUsage(usage, event('LicenseDeleted', {}))!;
    expect(entitlementSamples(deleted, T0)).toEqual([]);
    expect(evolveEntitlementUsage(deleted, checkout('t2', BUYER, 1))).toBeUndefined();
    expect(evolveEntitlementUsage(undefined, checkout('t2', BUYER, 1))).toBeUndefined();
  });
});
