import type { LicenseManager } from '@lm/api-model';

export interface ManagedRuleset {
  arn: string;
  name: string;
  description: string;
  rules: LicenseManager.LicenseAssetRule[];
}

const billingProductRule = (products: string[]): LicenseManager.LicenseAssetRule => ({
  RuleStatement: {
    InstanceRuleStatement: {
      MatchingRuleStatement: { KeyToMatch: 'EC2BillingProduct', Constraint: 'EQUALS', ValueToMatch: products },
    },
  },
});

/**
 * The guide's AWS-managed rulesets ("Microsoft Windows Server Datacenter, Microsoft SQL Server
 * Enterprise Edition, Microsoft SQL Server Standard Edition, Red Hat Enterprise Linux, Ubuntu Pro,
 * SUSE Enterprise Linux"): seed data shipped with the release, the same in every account, read-only.
 * Each discovers instances by the EC2 billing products of its product.
 */
const MANAGED = [
  {
    slug: 'windows-server-datacenter',
    name: 'Microsoft Windows Server Datacenter',
    products: ['windows-server-enterprise', 'windows-byol'],
  },
  {
    slug: 'sql-server-enterprise',
    name: 'Microsoft SQL Server Enterprise Edition',
    products: ['sql-server-enterprise'],
  },
  { slug: 'sql-server-standard', name: 'Microsoft SQL Server Standard Edition', products: ['sql-server-standard'] },
  {
    slug: 'red-hat-enterprise-linux',
    name: 'Red Hat Enterprise Linux',
    products: ['rhel', 'rhel-high-availability', 'rhel-byol'],
  },
  { slug: 'ubuntu-pro', name: 'Ubuntu Pro', products: ['ubuntu-pro'] },
  { slug: 'suse-enterprise-linux', name: 'SUSE Enterprise Linux', products: ['suse-linux'] },
] as const;

/** AWS owns them: their ARNs name no account of the caller's (`aws`), so no account can change or tag them. */
const managedRulesetArn = (region: string, slug: string) =>
  `arn:aws:license-manager:${region}:aws:ruleset/aws-managed-${slug}`;

export function managedRulesets(region: string): ManagedRuleset[] {
  return MANAGED.map(({ slug, name, products }) => ({
    arn: managedRulesetArn(region, slug),
    name,
    description: `AWS-managed ruleset: instances of ${name}, by their EC2 billing products.`,
    rules: [billingProductRule([...products])],
  }));
}

export function managedRuleset(region: string, arn: string): ManagedRuleset | undefined {
  return managedRulesets(region).find((ruleset) => ruleset.arn === arn);
}

/** An AWS-managed ruleset's ARN in any Region (refused as read-only, not as unknown). */
export const isManagedRulesetArn = (arn: string) => /^arn:aws:license-manager:[a-z0-9-]*:aws:ruleset\//.test(arn);
