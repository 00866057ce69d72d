import { describe, expect, it } from 'vitest';
import { pageOf } from '../src/pagination';
import { singleValueFilters } from '../src/filters';

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

  it('has no next page when the rows fit, caps MaxResults and refuses a bad one', () => {
    const page = pageOf<{ id: number }>('1', { MaxResults: 50 }, RULES);
    expect(page.limit).toBe(3);
    expect(page.cut([{ id: 1 }], (row) => row)).toEqual({ items: [{ id: 1 }], NextToken: undefined });
    expect(() => pageOf('1', { MaxResults: 0 }, RULES)).toThrow('MaxResults must be a positive integer.');
  });

  it('reads back only the form it writes: a forged key of objects, U+0000, huge numbers or long strings is not valid', () => {
    const forged = (k: unknown) => Buffer.from(JSON.stringify({ a: '1', k })).toString('base64url');
    for (const k of [
      { id: '\u0000' },
      { id: { $gt: 1 } },
      { id: [1] },
      { id: 1e308 },
      { id: 1.5 },
      { id: 'x'.repeat(2049) },
      Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i])),
      'id',
      null,
    ])
      expect(() => pageOf('1', { NextToken: forged(k) }, RULES), JSON.stringify(k)).toThrow(
        'The NextToken is not valid.',
      );
    expect(
      pageOf('1', { NextToken: forged({ createdAt: '2026-01-01T00:00:00Z', id: 'x', version: 3, a: null }) }, RULES)
        .after,
    ).toEqual({
      createdAt: '2026-01-01T00:00:00Z',
      id: 'x',
      version: 3,
      a: null,
    });
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
