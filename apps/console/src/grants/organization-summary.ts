import type { LicenseManager } from '@lm/api-model';
import { grantStatusLabel } from './grant-status';

/** A licence the organization's accounts received, its grants to them, and its usage when the API gives it. */
export interface ReceivedByOrganization {
  license: LicenseManager.GrantedLicense;
  grants: LicenseManager.Grant[];
  /** GetLicenseUsage's entitlement usages; none when the API does not show them to this account. */
  usage?: LicenseManager.EntitlementUsage[];
}

export interface EntitlementTotal {
  name: string;
  unit: string;
  consumed: number;
  /** None when a licence of the product has no maximum for it. */
  max?: number;
}

export interface ProductSummary {
  productName: string;
  productSku: string;
  licenses: number;
  /** The guide's "Number of granted licenses": each account's receipt of each licence (a grant not deleted). */
  grantedLicenses: number;
  accounts: number;
  /** Grants by status in the guide's words, deleted ones included, most frequent first. */
  statuses: { status: string; count: number }[];
  entitlements: EntitlementTotal[];
  /** How many of the product's licences' usage the API did not show to this account. */
  usageUnread: number;
}

export interface OrganizationSummary {
  totals: { products: number; grantedLicenses: number; accounts: number };
  products: ProductSummary[];
}

const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/;

/** The accounts a licence reaches: the grantee accounts of its grants that are not deleted. */
const receivingAccounts = (grants: LicenseManager.Grant[]) =>
  grants
    .filter((grant) => grant.GrantStatus !== 'DELETED')
    .map((grant) => ACCOUNT_ROOT.exec(grant.GranteePrincipalArn)?.[1])
    .filter((account): account is string => account !== undefined);

/**
 * The guide's License summary (for organization administrators): totals of products and granted
 * licences across the organization's accounts, and per product (name and SKU) its licences, the
 * accounts that received it, its grants' statuses and its entitlements' usage added up.
 */
export function summarizeOrganizationLicenses(received: ReceivedByOrganization[]): OrganizationSummary {
  const byProduct = new Map<string, ReceivedByOrganization[]>();
  for (const item of received) {
    const key = JSON.stringify([item.license.ProductName ?? '', item.license.ProductSKU ?? '']);
    byProduct.set(key, [...(byProduct.get(key) ?? []), item]);
  }
  const products = [...byProduct.values()].map(summarizeProduct);
  products.sort((a, b) => a.productName.localeCompare(b.productName) || a.productSku.localeCompare(b.productSku));
  const accounts = new Set(received.flatMap((item) => receivingAccounts(item.grants)));
  return {
    totals: {
      products: products.length,
      grantedLicenses: products.reduce((sum, product) => sum + product.grantedLicenses, 0),
      accounts: accounts.size,
    },
    products,
  };
}

function summarizeProduct(items: ReceivedByOrganization[]): ProductSummary {
  const { ProductName = '', ProductSKU = '' } = items[0].license;
  const statuses = new Map<string, number>();
  for (const grant of items.flatMap((item) => item.grants)) {
    const label = grantStatusLabel(grant.GrantStatus);
    statuses.set(label, (statuses.get(label) ?? 0) + 1);
  }
  return {
    productName: ProductName,
    productSku: ProductSKU,
    licenses: items.length,
    grantedLicenses: items.reduce((sum, item) => sum + receivingAccounts(item.grants).length, 0),
    accounts: new Set(items.flatMap((item) => receivingAccounts(item.grants))).size,
    statuses: [...statuses]
      .map(([status, count]) => ({ status, count }))
      .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    entitlements: entitlementTotals(items.flatMap((item) => item.usage ?? [])),
    usageUnread: items.filter((item) => item.usage === undefined).length,
  };
}

/** Usages of the same entitlement (name and unit) across licences, added up; numbers come as strings. */
function entitlementTotals(usages: LicenseManager.EntitlementUsage[]): EntitlementTotal[] {
  const totals = new Map<string, EntitlementTotal & { unlimited: boolean }>();
  for (const usage of usages) {
    const key = JSON.stringify([usage.Name, usage.Unit]);
    const total = totals.get(key) ?? { name: usage.Name, unit: usage.Unit, consumed: 0, max: 0, unlimited: false };
    total.consumed += Number(usage.ConsumedValue);
    if (usage.MaxCount === undefined) total.unlimited = true;
    else total.max = (total.max ?? 0) + Number(usage.MaxCount);
    totals.set(key, total);
  }
  return [...totals.values()].map(({ unlimited, ...total }) => (unlimited ? { ...total, max: undefined } : total));
}

/** "Active 2, Pending acceptance 1" */
export const statusesText = (statuses: ProductSummary['statuses']) =>
  statuses.map(({ status, count }) => `${status} ${count}`).join(', ');

/** "Users: 3 of 20 Count" */
export const entitlementText = ({ name, unit, consumed, max }: EntitlementTotal) =>
  max === undefined ? `${name}: ${consumed} ${unit}` : `${name}: ${consumed} of ${max} ${unit}`;
