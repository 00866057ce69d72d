import { describe, expect, it } from 'vitest';
import { validateProductInformation } from '../../../services/licensing/src/configurations/domain/product-information';
import { DISCOVERY_FILTERS, filterText, productText, type Comparator } from '../src/licensing/product-information';

const COMPARATORS: Comparator[] = ['EQUALS', 'NOT_EQUALS'];
const SSM_CONFIGURATION = { countingType: 'vCPU' as const, rules: [], hardLimit: false };

/** Licensing's answer to one product of one filter: undefined when it takes it, else its message. */
function refusal(resourceType: string, name: string, comparator: string, values?: string[]): string | undefined {
  try {
    validateProductInformation(
      [
        {
          ResourceType: resourceType,
          ProductInformationFilterList: [
            {
              ProductInformationFilterName: name,
              ProductInformationFilterComparator: comparator,
              ProductInformationFilterValue: values,
            },
          ],
        },
      ],
      SSM_CONFIGURATION,
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The automated discovery rules the form offers, held to what licensing takes: each filter with
 * exactly the comparators licensing allows it, and for the filters with a list of values, that list.
 */
describe('the console’s automated discovery filters against licensing’s', () => {
  for (const [resourceType, filters] of Object.entries(DISCOVERY_FILTERS)) {
    for (const filter of filters) {
      const name = filter.name === 'Tag' ? 'Tag:environment' : filter.name;
      const value = filter.values?.[0] ?? '123456789012';

      it(`${resourceType} ${filter.name}: exactly the comparators licensing takes`, () => {
        for (const comparator of COMPARATORS)
          expect(refusal(resourceType, name, comparator, [value]), comparator).toEqual(
            filter.comparators.includes(comparator) ? undefined : expect.stringContaining('comparator'),
          );
      });

      if (filter.values)
        it(`${resourceType} ${filter.name}: exactly the values licensing takes`, () => {
          const message = refusal(resourceType, name, filter.comparators[0], ['no-such-value'])!;
          expect(/Valid values: (.+)\.$/.exec(message)![1].split(', ')).toEqual([...filter.values!]);
          for (const each of filter.values!)
            expect(refusal(resourceType, name, filter.comparators[0], [each])).toBeUndefined();
        });
    }
  }

  it('offers no filter licensing refuses for another resource type, and none of one type under the other', () => {
    for (const filter of DISCOVERY_FILTERS.RDS)
      expect(refusal('SSM_MANAGED', filter.name, 'EQUALS', [filter.values![0]])).toMatch(/not valid for SSM_MANAGED/);
    expect(refusal('RDS', 'Platform Name', 'EQUALS', ['Windows'])).toMatch(/not valid for RDS/);
  });

  it('says a rule in words', () => {
    expect(
      productText({
        ResourceType: 'SSM_MANAGED',
        ProductInformationFilterList: [
          {
            ProductInformationFilterName: 'Platform Name',
            ProductInformationFilterComparator: 'EQUALS',
            ProductInformationFilterValue: ['Windows Server 2022 Datacenter'],
          },
          { ProductInformationFilterName: 'Tag:environment', ProductInformationFilterComparator: 'NOT_EQUALS' },
        ],
      }),
    ).toBe(
      'Systems Manager managed instances (SSM_MANAGED): Platform name equals Windows Server 2022 Datacenter; Tag environment not equals',
    );
    expect(
      filterText({
        ProductInformationFilterName: 'Engine Edition',
        ProductInformationFilterComparator: 'EQUALS',
        ProductInformationFilterValue: ['oracle-ee', 'oracle-se2'],
      }),
    ).toBe('Engine edition equals oracle-ee or oracle-se2');
  });
});
