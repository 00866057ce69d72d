import { describe, expect, it } from 'vitest';
import { observeInstance, type InstanceObservation, type InventoryInstance } from '../src/instances/domain/instance';
import { productCodeTableOf, providedProducts } from '../src/instances/domain/product-codes';

const identity = { accountId: '111111111111', region: 'us-east-1', instanceId: 'i-0123456789abcdef0' };
const observed = (
  state: Extract<InstanceObservation, { type: 'observed' }>['state'],
  observedAt: string,
  subnetId: string | null = 'subnet-0abc1234',
): InstanceObservation => ({ type: 'observed', subnetId, productCodes: [], state, observedAt });
const T = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 0, minutes)).toISOString();

/** The instance after each observation in turn. */
const after = (...observations: InstanceObservation[]) =>
  observations.reduce<InventoryInstance | undefined>((current, o) => observeInstance(current, identity, o), undefined);

describe('instance health from discovery’s events', () => {
  it('is ACTIVE running, UNHEALTHY otherwise (a stop included), with the last status check', () => {
    expect(after(observed('running', T(1)))).toMatchObject({
      status: 'ACTIVE',
      observedAt: T(1),
      subnetId: 'subnet-0abc1234',
    });
    expect(after(observed('running', T(1)), observed('stopped', T(2)))).toMatchObject({
      status: 'UNHEALTHY',
      statusMessage: 'The instance is stopped: its users cannot connect until it runs.',
    });
    expect(after(observed('pending', T(1)), observed('running', T(2)))).toMatchObject({
      status: 'ACTIVE',
      statusMessage: undefined,
    });
  });

  it('is TERMINATED for good once terminated or gone from the inventory for 30 days', () => {
    const gone = after(observed('running', T(1)), observed('terminated', T(2)));
    expect(gone).toMatchObject({ status: 'TERMINATED', statusMessage: /terminated/ });
    expect(observeInstance(gone, identity, observed('running', T(3)))).toBe(gone);
    expect(after(observed('running', T(1)), { type: 'inactivated', inactivatedAt: T(9) })).toMatchObject({
      status: 'TERMINATED',
      statusMessage: /30 days/,
    });
  });

  it('ignores an observation older than the last one', () => {
    const stopped = after(observed('running', T(1)), observed('stopped', T(5)));
    expect(observeInstance(stopped, identity, observed('running', T(3)))).toBe(stopped);
  });

  it('follows only instances reported with a subnet, keeping the last subnet when a report has none', () => {
    expect(after(observed('running', T(1), null))).toBeUndefined();
    expect(after({ type: 'inactivated', inactivatedAt: T(1) })).toBeUndefined();
    expect(after(observed('running', T(1)), observed('stopped', T(2), null))).toMatchObject({
      subnetId: 'subnet-0abc1234',
    });
  });
});

describe('product codes', () => {
  const table = productCodeTableOf({ vsent01: ['VISUAL_STUDIO_ENTERPRISE'], office01: ['OFFICE_PROFESSIONAL_PLUS'] });
  const registered = ['REMOTE_DESKTOP_SERVICES', 'VISUAL_STUDIO_ENTERPRISE', 'OFFICE_PROFESSIONAL_PLUS'] as const;
  const code = (productCodeId: string) => ({ productCodeId, productCodeType: 'marketplace' as const });

  it('provides every registered product without product codes, or with codes the table does not know', () => {
    expect(providedProducts(registered, [], table)).toEqual([...registered]);
    expect(providedProducts(registered, [code('windows2022')], table)).toEqual([...registered]);
  });

  it('narrows to the products known codes name', () => {
    expect(providedProducts(registered, [code('vsent01'), code('windows2022')], table)).toEqual([
      'VISUAL_STUDIO_ENTERPRISE',
    ]);
    expect(providedProducts(['REMOTE_DESKTOP_SERVICES'], [code('office01')], table)).toEqual([]);
  });

  it('refuses a table that is not codes to products', () => {
    expect(() => productCodeTableOf([])).toThrow(/JSON object/);
    expect(() => productCodeTableOf({ 'not a code': ['VISUAL_STUDIO_ENTERPRISE'] })).toThrow(/not a product code id/);
    expect(() => productCodeTableOf({ abc: ['WORD'] })).toThrow(/must map to a list/);
  });
});
