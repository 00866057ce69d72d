import type { LicenseManager } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import { licenseIncludedRulesExclude } from '../src/configurations/domain/product-matching';

type Filter = LicenseManager.ProductInformationFilter;
const rule = (...filters: Filter[]): LicenseManager.ProductInformation => ({
  ResourceType: 'SSM_MANAGED',
  ProductInformationFilterList: filters,
});
const excludesWindows: Filter = {
  ProductInformationFilterName: 'License Included',
  ProductInformationFilterComparator: 'NOT_EQUALS',
  ProductInformationFilterValue: ['windows-server-datacenter'],
};
const platform: Filter = {
  ProductInformationFilterName: 'Platform Name',
  ProductInformationFilterComparator: 'EQUALS',
  ProductInformationFilterValue: ['Windows Server 2022 Datacenter'],
};
const WINDOWS_LI = ['windows-server-datacenter'];

describe('License Included automated discovery rules after a license type conversion (the guide)', () => {
  it('exclude the instance when each of the two rules excludes license-included Windows Server', () => {
    expect(licenseIncludedRulesExclude([rule(platform, excludesWindows), rule(excludesWindows)], WINDOWS_LI)).toBe(
      true,
    );
  });

  it('do not when only one of the two rules has the License Included exclusion', () => {
    expect(licenseIncludedRulesExclude([rule(platform, excludesWindows), rule(platform)], WINDOWS_LI)).toBe(false);
  });

  it('do not for a destination that includes none of the excluded values, nor for a configuration without rules', () => {
    expect(licenseIncludedRulesExclude([rule(excludesWindows)], [])).toBe(false);
    expect(licenseIncludedRulesExclude([rule(excludesWindows)], ['sql-server-web'])).toBe(false);
    expect(licenseIncludedRulesExclude([], WINDOWS_LI)).toBe(false);
    const includesWindows = { ...excludesWindows, ProductInformationFilterComparator: 'EQUALS' };
    expect(licenseIncludedRulesExclude([rule(includesWindows)], WINDOWS_LI)).toBe(false);
  });

  it('exclude SQL Server license included by its edition', () => {
    const excludesSqlStandard = { ...excludesWindows, ProductInformationFilterValue: ['sql-server-standard'] };
    expect(
      licenseIncludedRulesExclude([rule(excludesSqlStandard)], ['sql-server-standard', 'windows-server-datacenter']),
    ).toBe(true);
  });
});
