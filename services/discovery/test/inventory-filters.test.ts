import { describe, expect, it } from 'vitest';
import type { LicenseManager } from '@lm/api-model';
import { MAX_INVENTORY_FILTERS, parseInventoryFilters } from '../src/domain/inventory-filters';

type Filter = LicenseManager.InventoryFilter;
const single = { crossAccount: false };
const cross = { crossAccount: true };
const parse =
  (filters: Filter[], options = single) =>
  () =>
    parseInventoryFilters(filters, options);

describe('ListResourceInventory filters', () => {
  it('takes no filters', () => {
    expect(parseInventoryFilters(undefined, single)).toEqual([]);
  });

  it.each([
    ['resource_id', ['EQUALS', 'NOT_EQUALS'], 'i-1'],
    ['account_id', ['EQUALS', 'NOT_EQUALS'], '222222222222'],
    ['platform', ['EQUALS', 'NOT_EQUALS', 'BEGINS_WITH', 'CONTAINS'], 'Windows'],
    ['application_name', ['EQUALS', 'BEGINS_WITH'], 'SQL Server'],
    ['license_included', ['EQUALS', 'NOT_EQUALS'], 'sql-server-web'],
  ] as const)('%s takes exactly %j', (name, allowed, value) => {
    for (const condition of ['EQUALS', 'NOT_EQUALS', 'BEGINS_WITH', 'CONTAINS'] as const) {
      const run = parse([{ Name: name, Condition: condition, Value: value }]);
      if ((allowed as readonly string[]).includes(condition))
        expect(run()).toEqual([{ field: name, condition, value }]);
      else
        expect(run).toThrow(
          expect.objectContaining({
            code: 'InvalidParameterValueException',
            message: expect.stringContaining(`Filter ${name} takes`),
          }),
        );
    }
  });

  it('takes tag:<key> with EQUALS, and NOT_EQUALS only in the cross-account view', () => {
    expect(parse([{ Name: 'tag:env', Condition: 'EQUALS', Value: 'prod' }])()).toEqual([
      { field: 'tag', key: 'env', condition: 'EQUALS', value: 'prod' },
    ]);
    expect(parse([{ Name: 'tag:env', Condition: 'EQUALS' }])()).toEqual([
      { field: 'tag', key: 'env', condition: 'EQUALS', value: undefined },
    ]);
    expect(parse([{ Name: 'tag:env', Condition: 'NOT_EQUALS', Value: 'prod' }])).toThrow(
      /only with cross-account discovery/,
    );
    expect(parse([{ Name: 'tag:env', Condition: 'NOT_EQUALS', Value: 'prod' }], cross)()).toEqual([
      { field: 'tag', key: 'env', condition: 'NOT_EQUALS', value: 'prod' },
    ]);
    expect(parse([{ Name: 'tag:env', Condition: 'BEGINS_WITH', Value: 'p' }], cross)).toThrow(
      /takes the condition EQUALS or NOT_EQUALS/,
    );
    expect(parse([{ Name: 'tag:', Condition: 'EQUALS', Value: 'x' }])).toThrow(/names its key/);
  });

  it('refuses unknown names, missing values and values the API does not define', () => {
    const invalid = { code: 'InvalidParameterValueException' };
    expect(parse([{ Name: 'engine_edition', Condition: 'EQUALS', Value: 'oracle-ee' }])).toThrow(
      expect.objectContaining({ ...invalid, message: expect.stringMatching(/not supported/) }),
    );
    expect(parse([{ Name: 'Platform', Condition: 'EQUALS', Value: 'Linux' }])).toThrow(/not supported/);
    expect(parse([{ Name: 'platform', Condition: 'EQUALS' }])).toThrow(/needs a value/);
    expect(parse([{ Name: 'license_included', Condition: 'EQUALS', Value: 'SQL Server Web' }])).toThrow(
      /sql-server-enterprise/,
    );
    expect(parse([{ Name: 'account_id', Condition: 'EQUALS', Value: '1234' }])).toThrow(/12-digit/);
  });

  it(`allows at most ${MAX_INVENTORY_FILTERS} filters`, () => {
    const filters = (n: number) =>
      Array.from({ length: n }, (): Filter => ({ Name: 'platform', Condition: 'CONTAINS', Value: 'x' }));
    expect(parse(filters(MAX_INVENTORY_FILTERS))()).toHaveLength(MAX_INVENTORY_FILTERS);
    expect(parse(filters(MAX_INVENTORY_FILTERS + 1))).toThrow(
      expect.objectContaining({ code: 'FilterLimitExceededException' }),
    );
  });
});
