import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { pageOf, usePageTokenKey } from '../src/pagination';
import { singleValueFilters } from '../src/filters';
import { inOperation } from '../src/operation-scope';

const RULES = { defaultSize: 2, maxSize: 3 };

describe('pageOf', () => {
  it('cuts rows fetched with limit + 1 and gives the next page a token only the same account can use', () => {
    const first = pageOf<{ id: number }>('111111111111', {}, RULES);
    expect(first.limit).toBe(2);
    expect(first.after).toBeUndefined();
    const { items, NextToken } = first.cut([{ id: 1 }, { id: 2 }, { id: 3 }], (row) => ({ id: row.id }));
    expect(items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(pageOf('111111111111', { NextToken }, RULES).after).toEqual({ id: 2 });
    expect(() => pageOf('222222222222', { NextToken }, RULES)).toThrow('The NextToken is not valid.');
  });

  it("reads a token back only in the operation that wrote it: another list's key would fail its query", () => {
    const NextToken = inOperation('ListLicenseConfigurations', () =>
      pageOf<{ id: number }>('1', {}, RULES).cut([{ id: 1 }, { id: 2 }, { id: 3 }], (row) => row),
    ).NextToken;
    expect(inOperation('ListLicenseConfigurations', () => pageOf('1', { NextToken }, RULES).after)).toEqual({ id: 2 });
    expect(() => inOperation('ListLicenseSpecificationsForResource', () => pageOf('1', { NextToken }, RULES))).toThrow(
      'The NextToken is not valid.',
    );
    expect(() => pageOf('1', { NextToken }, RULES)).toThrow('The NextToken is not valid.');
  });

  it('has no next page when the rows fit, caps MaxResults and refuses a bad one', () => {
    const page = pageOf<{ id: number }>('1', { MaxResults: 50 }, RULES);
    expect(page.limit).toBe(3);
    expect(page.cut([{ id: 1 }], (row) => row)).toEqual({ items: [{ id: 1 }], NextToken: undefined });
    expect(() => pageOf('1', { MaxResults: 0 }, RULES)).toThrow('MaxResults must be a positive integer.');
  });

  it('reads back only a token it sealed: a forged, altered or other-key token is not valid, whatever it holds', () => {
    const tokenOf = (key: Record<string, unknown>) => pageOf('1', {}, RULES).cut([{}, {}, {}], () => key).NextToken!;
    const sealed = tokenOf({ createdAt: '2026-01-01T00:00:00Z', id: 'x', version: 3, a: null });
    expect(pageOf('1', { NextToken: sealed }, RULES).after).toEqual({
      createdAt: '2026-01-01T00:00:00Z',
      id: 'x',
      version: 3,
      a: null,
    });
    const [payload, mac] = sealed.split('.');
    const forged = (k: unknown) => Buffer.from(JSON.stringify({ a: '1', k })).toString('base64url');
    const invalid = [
      // What a client could write: a timestamp that is none, objects, U+0000, huge numbers, with or without a seal.
      forged({ createdAt: 'not a date', id: 'x' }),
      `${forged({ id: { $gt: 1 } })}.${mac}`,
      `${forged({ id: '\u0000' })}.${mac}`,
      `${payload}.${Buffer.alloc(16).toString('base64url')}`,
      `${payload}.${mac}.${mac}`,
      payload,
      '.',
    ];
    for (const NextToken of invalid)
      expect(() => pageOf('1', { NextToken }, RULES), NextToken).toThrow('The NextToken is not valid.');
    // Another key (another deployment, or a replica that did not load the service's key) seals other tokens.
    usePageTokenKey(Buffer.alloc(32, 7));
    try {
      expect(() => pageOf('1', { NextToken: sealed }, RULES)).toThrow('The NextToken is not valid.');
      expect(pageOf('1', { NextToken: tokenOf({ id: 2 }) }, RULES).after).toEqual({ id: 2 });
    } finally {
      usePageTokenKey(randomBytes(32));
    }
  });

  it("answers a bad token with the API's own error", () => {
    expect(() =>
      pageOf('1', { NextToken: 'nonsense' }, { ...RULES, invalidTokenError: 'InvalidMarkerException' }),
    ).toThrow(expect.objectContaining({ code: 'InvalidMarkerException' }));
  });
});

describe('singleValueFilters', () => {
  const columns = { Status: 'status', ProductSKU: 'product_sku' } as const;

  it('gives each filter as its column and value', () => {
    expect(singleValueFilters([{ Name: 'Status', Values: ['AVAILABLE'] }], columns)).toEqual([['status', 'AVAILABLE']]);
    expect(singleValueFilters(undefined, columns)).toEqual([]);
  });

  it('refuses unknown names, missing and extra values, and too many filters', () => {
    expect(() => singleValueFilters([{ Name: 'Other', Values: ['x'] }], columns)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValueException' }),
    );
    expect(() => singleValueFilters([{ Name: 'constructor', Values: ['x'] }], columns)).toThrow(/not supported/);
    expect(() => singleValueFilters([{ Name: 'Status', Values: [] }], columns)).toThrow(/needs a value/);
    expect(() => singleValueFilters([{ Name: 'Status', Values: ['a', 'b'] }], columns)).toThrow(
      expect.objectContaining({ code: 'FilterLimitExceededException' }),
    );
    expect(() =>
      singleValueFilters([{ Name: 'Status', Values: ['a', 'b'] }], columns, {
        manyValuesError: 'InvalidParameterValueException',
      }),
    ).toThrow(expect.objectContaining({ code: 'InvalidParameterValueException' }));
    const three = [1, 2, 3].map(() => ({ Name: 'Status', Values: ['a'] }));
    expect(() => singleValueFilters(three, columns, { maxFilters: 2 })).toThrow(
      expect.objectContaining({ code: 'FilterLimitExceededException' }),
    );
  });
});
