import { describe, expect, it } from 'vitest';
import {
  classify,
  CLASSIFICATION_RULES,
  isDualSubscription,
  SUBSCRIPTION_TYPES,
  type AmiProductCode,
  type BillingInformation,
} from '../src/instances/domain/classification';

const marketplaceCode: AmiProductCode = { productCodeId: 'a1b2c3d4e5f6g7h8i9j0k1l2m', productCodeType: 'marketplace' };
const billing = (over: Partial<BillingInformation>): BillingInformation => ({
  usageOperation: null,
  productCodes: [],
  platform: null,
  platformVersion: null,
  ...over,
});

/**
 * The guide's "Billing information for Linux subscriptions" tables as written there: subscription
 * name, usage operation (✗: none), Marketplace product code, subscription type; plus the
 * distribution an instance of the ✗ rows reports.
 */
const GUIDE: [string, string | null, boolean, string, string?][] = [
  ['Red Hat Enterprise Linux Server BYOS', 'RunInstances:00g0', false, 'Bring Your Own Subscription model (BYOS)'],
  ['Red Hat Enterprise Linux Server', 'RunInstances:0010', false, 'EC2 subscription-included'],
  ['Red Hat Enterprise Linux with High Availability Add-on', 'RunInstances:1010', false, 'EC2 subscription-included'],
  [
    'Red Hat Enterprise Linux with SQL Server Standard and High Availability',
    'RunInstances:1014',
    false,
    'EC2 subscription-included',
  ],
  [
    'Red Hat Enterprise Linux with SQL Server Enterprise and High Availability',
    'RunInstances:1110',
    false,
    'EC2 subscription-included',
  ],
  ['Red Hat Enterprise Linux with SQL Server Standard', 'RunInstances:0014', false, 'EC2 subscription-included'],
  ['Red Hat Enterprise Linux with SQL Server Web', 'RunInstances:0210', false, 'EC2 subscription-included'],
  ['Red Hat Enterprise Linux with SQL Server Enterprise', 'RunInstances:0110', false, 'EC2 subscription-included'],
  ['SUSE Linux Enterprise Server', 'RunInstances:000g', false, 'EC2 subscription-included'],
  [
    'Red Hat Enterprise Linux for SAP with High Availability and Update Services',
    'RunInstances:0010',
    true,
    'AWS Marketplace subscription',
  ],
  ['SUSE Linux Enterprise Server with SAP', null, true, 'AWS Marketplace subscription', 'SUSE Linux'],
  ['Ubuntu Pro', 'RunInstances:0g00', true, 'AWS Marketplace subscription'],
  ['Red Hat Enterprise Linux Workstation', null, true, 'AWS Marketplace subscription', 'Red Hat Enterprise Linux'],
];

describe('classification by usage operation and product code (the guide tables)', () => {
  it('has one rule per row of the guide, in its order', () => {
    expect(CLASSIFICATION_RULES.map((rule) => rule.subscriptionName)).toEqual(GUIDE.map(([name]) => name));
  });

  it.each(GUIDE)('%s: %s, product code %s -> %s', (name, usageOperation, productCode, type, platform) => {
    // A ✗ row's instance reports the plain Linux/UNIX usage operation, or none at all.
    for (const reported of usageOperation === null ? [null, 'RunInstances'] : [usageOperation]) {
      const found = classify(
        billing({
          usageOperation: reported,
          productCodes: productCode ? [marketplaceCode] : [],
          platform: platform ?? null,
          platformVersion: '9.4',
        }),
      );
      expect(found).toEqual({
        subscriptionName: name,
        subscriptionType: type,
        osVersion: '9.4',
        redHat: name.startsWith('Red Hat'),
        rhel7Els: false,
      });
    }
  });

  it('tells RHEL Server from RHEL for SAP by the product code, not the usage operation alone', () => {
    const server = classify(billing({ usageOperation: 'RunInstances:0010' }));
    const sap = classify(billing({ usageOperation: 'RunInstances:0010', productCodes: [marketplaceCode] }));
    expect(server?.subscriptionName).toBe('Red Hat Enterprise Linux Server');
    expect(sap?.subscriptionName).toBe('Red Hat Enterprise Linux for SAP with High Availability and Update Services');
  });

  it('classifies no combination the tables do not list', () => {
    // A product code on a row whose column says x, none on a row that says ✓.
    expect(classify(billing({ usageOperation: 'RunInstances:1010', productCodes: [marketplaceCode] }))).toBeUndefined();
    expect(classify(billing({ usageOperation: 'RunInstances:0g00' }))).toBeUndefined();
    // Plain Linux/UNIX without a product code (Amazon Linux), or a Marketplace AMI of another distribution.
    expect(classify(billing({ usageOperation: 'RunInstances', platform: 'Linux/UNIX' }))).toBeUndefined();
    expect(classify(billing({ productCodes: [marketplaceCode], platform: 'Debian' }))).toBeUndefined();
    // Windows.
    expect(classify(billing({ usageOperation: 'RunInstances:0002' }))).toBeUndefined();
  });

  it('takes a DevPay product code for no Marketplace subscription, an unstated type for one', () => {
    const devpay: AmiProductCode = { productCodeId: 'devpay1', productCodeType: 'devpay' };
    expect(classify(billing({ usageOperation: 'RunInstances:0010', productCodes: [devpay] }))?.subscriptionName).toBe(
      'Red Hat Enterprise Linux Server',
    );
    expect(
      classify(
        billing({
          usageOperation: 'RunInstances:0g00',
          productCodes: [{ productCodeId: 'x1', productCodeType: null }],
        }),
      )?.subscriptionName,
    ).toBe('Ubuntu Pro');
  });

  it('leaves OsVersion out when the instance reported none', () => {
    expect(classify(billing({ usageOperation: 'RunInstances:000g' }))?.osVersion).toBeUndefined();
  });
});

describe('dual subscriptions', () => {
  const rhel = (platformVersion: string | null, usageOperation = 'RunInstances:0010') =>
    classify(billing({ usageOperation, platformVersion }))!;

  it('flags an instance billed for a Red Hat subscription and registered with Red Hat Subscription Manager', () => {
    expect(isDualSubscription(rhel('9.4'), true)).toBe(true);
    expect(isDualSubscription(rhel('9.4'), false)).toBe(false);
    const sap = classify(billing({ usageOperation: 'RunInstances:0010', productCodes: [marketplaceCode] }))!;
    expect(isDualSubscription(sap, true)).toBe(true);
  });

  it('does not flag BYOS registered with Red Hat: that is the one subscription it has', () => {
    const byos = rhel('9.4', 'RunInstances:00g0');
    expect(byos.subscriptionType).toBe(SUBSCRIPTION_TYPES.BYOS);
    expect(isDualSubscription(byos, true)).toBe(false);
  });

  it('does not flag a subscription that is not Red Hat', () => {
    const suse = classify(billing({ usageOperation: 'RunInstances:000g' }))!;
    expect(isDualSubscription(suse, true)).toBe(false);
  });

  it('always flags RHEL 7 ELS from a subscription-included AMI, registered or not', () => {
    for (const version of ['7.9 ELS', '7-ELS', '7 els']) {
      const els = rhel(version);
      expect(els.rhel7Els).toBe(true);
      expect(isDualSubscription(els, false)).toBe(true);
    }
    expect(rhel('7.9').rhel7Els).toBe(false);
    expect(rhel('8.10 ELS').rhel7Els).toBe(false);
    expect(rhel('7.9 ELS', 'RunInstances:00g0').rhel7Els).toBe(false);
  });
});
