import { describe, expect, it } from 'vitest';
import type { LicenseManager } from '@lm/api-model';
import { entitlementText, statusesText, summarizeOrganizationLicenses } from '../src/grants/organization-summary';

const license = (arn: string, ProductName: string, ProductSKU = `${ProductName}-sku`) =>
  ({ LicenseArn: arn, LicenseName: arn, ProductName, ProductSKU }) as LicenseManager.GrantedLicense;
const grant = (account: string, GrantStatus: LicenseManager.GrantStatus) =>
  ({ GranteePrincipalArn: `arn:aws:iam::${account}:root`, GrantStatus }) as LicenseManager.Grant;
const usage = (Name: string, ConsumedValue: string, MaxCount?: string): LicenseManager.EntitlementUsage => ({
  Name,
  ConsumedValue,
  MaxCount,
  Unit: 'Count',
});

describe('the organization’s License summary', () => {
  it('counts per product its licences, each account’s receipt of each (deleted grants left out) and the accounts', () => {
    const summary = summarizeOrganizationLicenses([
      {
        license: license('a', 'Studio'),
        grants: [
          grant('222222222222', 'ACTIVE'),
          grant('222222222222', 'DELETED'),
          grant('333333333333', 'PENDING_ACCEPT'),
        ],
        usage: [usage('Users', '3', '10')],
      },
      {
        license: license('b', 'Studio'),
        grants: [grant('222222222222', 'DISABLED')],
        usage: [usage('Users', '1', '20'), usage('Seats', '2')],
      },
      { license: license('c', 'Analyzer'), grants: [grant('444444444444', 'ACTIVE')] },
    ]);
    expect(summary.totals).toEqual({ products: 2, grantedLicenses: 4, accounts: 3 });
    const [analyzer, studio] = summary.products;
    expect(studio).toMatchObject({
      productName: 'Studio',
      licenses: 2,
      grantedLicenses: 3,
      accounts: 2,
      usageUnread: 0,
    });
    expect(statusesText(studio.statuses)).toBe('Active 1, Deleted 1, Disabled 1, Pending acceptance 1');
    // The same entitlement of both licences added up; one without a maximum has none.
    expect(studio.entitlements.map(entitlementText)).toEqual(['Users: 4 of 30 Count', 'Seats: 2 Count']);
    // A licence whose usage the API did not show this account.
    expect(analyzer).toMatchObject({ productName: 'Analyzer', grantedLicenses: 1, entitlements: [], usageUnread: 1 });
  });

  it('tells products apart by SKU as well as name, and leaves organization and OU principals out of the accounts', () => {
    const summary = summarizeOrganizationLicenses([
      { license: license('a', 'Studio', 'one'), grants: [grant('222222222222', 'ACTIVE')], usage: [] },
      {
        license: license('b', 'Studio', 'two'),
        grants: [
          {
            GranteePrincipalArn: 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering',
            GrantStatus: 'WORKFLOW_COMPLETED',
          } as LicenseManager.Grant,
        ],
        usage: [],
      },
    ]);
    expect(summary.products.map((p) => [p.productSku, p.grantedLicenses, p.accounts])).toEqual([
      ['one', 1, 1],
      ['two', 0, 0],
    ]);
    expect(summary.totals).toEqual({ products: 2, grantedLicenses: 1, accounts: 1 });
  });

  it('is empty when no account received a licence', () => {
    expect(summarizeOrganizationLicenses([])).toEqual({
      totals: { products: 0, grantedLicenses: 0, accounts: 0 },
      products: [],
    });
  });
});
